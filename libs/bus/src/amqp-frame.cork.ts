import type { ChannelModel } from 'amqplib';

/** The parts of amqplib's connection the corking relies on; absent in another amqplib, corking is skipped. */
interface MuxedConnection {
  stream?: { cork?: () => void; uncork?: () => void };
  muxer?: { _readIncoming?: () => void };
}

/**
 * amqplib's muxer writes every queued frame to the socket with its own write (a syscall each: publishes, acks,
 * confirms of one turn). Corked around one pass of the muxer, that pass's frames leave in a single writev.
 * Returns whether the connection was corked.
 */
export function corkFrameWrites(model: ChannelModel): boolean {
  const conn = (model as unknown as { connection?: MuxedConnection }).connection;
  const stream = conn?.stream;
  const muxer = conn?.muxer;
  const readIncoming = muxer?._readIncoming;
  if (muxer === undefined || stream === undefined || typeof readIncoming !== 'function' || typeof stream.cork !== 'function' || typeof stream.uncork !== 'function') return false;
  const cork = stream.cork.bind(stream);
  const uncork = stream.uncork.bind(stream);
  muxer._readIncoming = function corkedReadIncoming(this: unknown): void {
    cork();
    try {
      readIncoming.call(this);
    } finally {
      uncork();
    }
  };
  return true;
}
