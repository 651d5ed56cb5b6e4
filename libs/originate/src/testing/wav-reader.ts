import { readFile } from 'node:fs/promises';

/** A PCM WAV as a test reads it: format and the samples of each channel. */
export interface WavContent {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  durationMs: number;
  samples: Int16Array[];
}

/** Parses a 16-bit PCM WAV (the 44-byte header the recorder writes). */
export function parseWav(buf: Buffer): WavContent {
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 16) !== 'WAVEfmt ' || buf.toString('latin1', 36, 40) !== 'data') throw new Error('not a PCM WAV');
  const channels = buf.readUInt16LE(22);
  const sampleRate = buf.readUInt32LE(24);
  const bitsPerSample = buf.readUInt16LE(34);
  const frames = buf.readUInt32LE(40) / (channels * 2);
  const samples = Array.from({ length: channels }, () => new Int16Array(frames));
  for (let f = 0; f < frames; f++) for (let c = 0; c < channels; c++) samples[c][f] = buf.readInt16LE(44 + (f * channels + c) * 2);
  return { channels, sampleRate, bitsPerSample, durationMs: (frames * 1000) / sampleRate, samples };
}

export async function readWav(path: string): Promise<WavContent> {
  return parseWav(await readFile(path));
}

/** Milliseconds of a channel that are sound (non-zero samples), between `fromMs` and `toMs`. */
export function soundMs(w: WavContent, channel: number, fromMs = 0, toMs = w.durationMs): number {
  const from = Math.floor((fromMs * w.sampleRate) / 1000);
  const to = Math.min(w.samples[channel].length, Math.floor((toMs * w.sampleRate) / 1000));
  let n = 0;
  for (let i = from; i < to; i++) if (w.samples[channel][i] !== 0) n++;
  return (n * 1000) / w.sampleRate;
}
