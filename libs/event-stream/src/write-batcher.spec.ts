import { PassThrough } from 'node:stream';
import { WriteBatcher } from './write-batcher';

/** A socket that records each write it makes: a chunk count per write (_writev for what a cork gathered), and the bytes. */
function recordingSocket(): { socket: PassThrough; writes: number[]; bytes: string[] } {
  const socket = new PassThrough();
  const writes: number[] = [];
  const bytes: string[] = [];
  socket._write = (chunk: Buffer, _enc, cb) => {
    writes.push(1);
    bytes.push(String(chunk));
    cb();
  };
  socket._writev = (chunks, cb) => {
    writes.push(chunks.length);
    bytes.push(...chunks.map((c) => String(c.chunk)));
    cb();
  };
  return { socket, writes, bytes };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatcher', () => {
  it('writes a socket’s only frame of a turn at once, without waiting for the turn to end', () => {
    const { socket, writes } = recordingSocket();
    const batcher = new WriteBatcher();
    batcher.hold(socket);
    socket.write('a');
    expect(writes).toEqual([1]);
  });

  it('gathers the rest of a turn’s frames to a socket into one write after the turn, in order', async () => {
    const { socket, writes, bytes } = recordingSocket();
    const batcher = new WriteBatcher();
    for (const frame of ['a', 'b', 'c', 'd']) {
      batcher.hold(socket);
      socket.write(frame);
    }
    expect(writes).toEqual([1]);
    await nextTurn();
    expect(writes).toEqual([1, 3]);
    expect(socket.writableCorked).toBe(0);
    // A new turn: its first frame goes at once again.
    batcher.hold(socket);
    socket.write('e');
    expect(writes).toEqual([1, 3, 1]);
    expect(bytes.join('')).toBe('abcde');
  });

  it('keeps each socket’s batch to itself', async () => {
    const one = recordingSocket();
    const two = recordingSocket();
    const batcher = new WriteBatcher();
    for (const frame of ['a', 'b']) {
      for (const { socket } of [one, two]) {
        batcher.hold(socket);
        socket.write(frame);
      }
    }
    batcher.hold(one.socket);
    one.socket.write('c');
    await nextTurn();
    expect(one.writes).toEqual([1, 2]);
    expect(two.writes).toEqual([1, 1]);
  });
});
