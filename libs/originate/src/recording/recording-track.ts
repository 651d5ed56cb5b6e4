import { type FileHandle, open } from 'node:fs/promises';
import { type G711Codec, decodeG711 } from './g711';

export const SAMPLE_RATE = 8000;
/** Packets whose timestamp lies further than this from the stream's start are another clock, not this stream (1 h). */
const MAX_SPAN = SAMPLE_RATE * 3600;

/**
 * The audio one party sends, as raw 16-bit PCM at 8 kHz: each packet is written where its RTP timestamp puts it,
 * so what was never written (a pause, lost packets) reads back as silence.
 */
export class RecordingTrack {
  /** Samples from the recording's start to the end of the last packet written. */
  samples = 0;
  private stream: { ssrc: number; baseTs: number; baseSample: number } | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<RecordingTrack> {
    return new RecordingTrack(path, await open(path, 'w'));
  }

  /** Writes one packet's audio; `nowSample` is the recording's clock, where a new stream (SSRC) starts. */
  write(ssrc: number, timestamp: number, codec: G711Codec, payload: Buffer, nowSample: number): void {
    if (this.stream === undefined || this.stream.ssrc !== ssrc) this.stream = { ssrc, baseTs: timestamp, baseSample: Math.max(nowSample, this.samples) };
    const offset = (timestamp - this.stream.baseTs) >>> 0;
    if (offset > MAX_SPAN) return;
    const at = this.stream.baseSample + offset;
    const pcm = decodeG711(codec, payload);
    this.samples = Math.max(this.samples, at + payload.length);
    this.writes = this.writes.then(() => this.file.write(pcm, 0, pcm.length, at * 2));
  }

  /** Waits for the writes in flight, then closes the file. */
  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.file.close();
  }
}
