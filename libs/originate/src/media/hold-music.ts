/** What rtpengine plays to a held party: a file on rtpengine's own host, or a blob of ours. */
export type HoldMedia = { file: string } | { blob: Buffer };

/** Repeats of the hold media: far beyond any call, since unhold (or the call's end) stops it. */
export const HOLD_REPEAT_TIMES = 100_000;

/** 250 ms of 8 kHz 16-bit mono PCM silence as a WAV: what a held party hears when no music is configured. */
function silenceWav(ms: number): Buffer {
  const bytes = (8000 * ms) / 1000 * 2;
  const wav = Buffer.alloc(44 + bytes);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + bytes, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(bytes, 40);
  return wav;
}

const SILENCE = silenceWav(250);

/** The configured music on hold (a path rtpengine reads), silence when none. */
export function holdMediaOf(file: string | undefined): HoldMedia {
  return file !== undefined && file !== '' ? { file } : { blob: SILENCE };
}
