/** G.711 µ-law byte → 16-bit linear PCM (ITU-T G.711). */
function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** G.711 A-law byte → 16-bit linear PCM (ITU-T G.711). */
function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  t = exponent === 0 ? t + 8 : ((t + 0x108) << (exponent - 1));
  return a & 0x80 ? t : -t;
}

const table = (decode: (b: number) => number): Int16Array => Int16Array.from({ length: 256 }, (_, b) => decode(b));
const TABLES = { PCMU: table(ulawToLinear), PCMA: table(alawToLinear) } as const;

export type G711Codec = keyof typeof TABLES;

export const isG711 = (name: string): name is G711Codec => name.toUpperCase() in TABLES;

/** Decodes one RTP payload of G.711 into little-endian 16-bit PCM (one sample per byte). */
export function decodeG711(codec: G711Codec, payload: Buffer): Buffer {
  const lut = TABLES[codec];
  const out = Buffer.alloc(payload.length * 2);
  for (let i = 0; i < payload.length; i++) out.writeInt16LE(lut[payload[i]], i * 2);
  return out;
}
