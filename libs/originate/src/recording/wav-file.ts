import { type FileHandle, open } from 'node:fs/promises';
import { SAMPLE_RATE } from './recording-track';

const CHUNK_SAMPLES = SAMPLE_RATE;

function wavHeader(frames: number, channels: number): Buffer {
  const bytes = frames * channels * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + bytes, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(bytes, 40);
  return h;
}

/** Every file opened, or none: when one cannot be, the others are closed again before the error is thrown. */
async function openAll(opening: Array<Promise<FileHandle>>): Promise<FileHandle[]> {
  const settled = await Promise.allSettled(opening);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed === undefined) return settled.map((s) => (s as PromiseFulfilledResult<FileHandle>).value);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  throw failed.reason;
}

/** Interleaves two raw 16-bit 8 kHz tracks (left, right) into one stereo PCM WAV of `frames` frames; returns its size. */
export async function writeStereoWav(left: string, right: string, out: string, frames: number): Promise<number> {
  const [l, r, w] = await openAll([open(left, 'r'), open(right, 'r'), open(out, 'w')]);
  try {
    await w.write(wavHeader(frames, 2), 0, 44, 0);
    const a = Buffer.alloc(CHUNK_SAMPLES * 2);
    const b = Buffer.alloc(CHUNK_SAMPLES * 2);
    const mixed = Buffer.alloc(CHUNK_SAMPLES * 4);
    for (let at = 0; at < frames; at += CHUNK_SAMPLES) {
      const n = Math.min(CHUNK_SAMPLES, frames - at);
      // past a track's end reads nothing: that party was silent
      a.fill(0);
      b.fill(0);
      await Promise.all([l.read(a, 0, n * 2, at * 2), r.read(b, 0, n * 2, at * 2)]);
      for (let i = 0; i < n; i++) {
        mixed.writeInt16LE(a.readInt16LE(i * 2), i * 4);
        mixed.writeInt16LE(b.readInt16LE(i * 2), i * 4 + 2);
      }
      await w.write(mixed, 0, n * 4, 44 + at * 4);
    }
    return 44 + frames * 4;
  } finally {
    await Promise.all([l.close(), r.close(), w.close()]);
  }
}
