// the text is decoded at once, so one growing scratch area serves every message (no garbage per message)
let scratch = Buffer.allocUnsafe(0);

/**
 * RFC 3261 §7.3.1: every line fold, with the blanks before and after it, becomes one SP.
 * One pass over the bytes of a header section (typed-array access stays fast where String methods
 * do not); each byte is read once and each blank written and taken back at most once. A fold right
 * after the start line is left alone, so the parser still refuses it.
 * Byte literals (CR 0x0d, LF 0x0a, SP 0x20, HT 0x09) rather than module constants keep the loop tight.
 */
export function unfoldHeaderString(data: Buffer, start: number, end: number): string {
  if (scratch.length < end - start) scratch = Buffer.allocUnsafe(Math.max(end - start, 2 * scratch.length));
  return scratch.toString('utf8', 0, unfoldInto(data, start, end, scratch));
}

function unfoldInto(data: Buffer, start: number, end: number, out: Buffer): number {
  const src = new Uint8Array(data.buffer, data.byteOffset + start, end - start);
  const n = src.length;
  // the start line and its CRLF are copied as they are
  let i = 0;
  while (i < n && !(src[i] === 0x0d && src[i + 1] === 0x0a)) out[i] = src[i++];
  for (const stop = Math.min(n, i + 2); i < stop; i++) out[i] = src[i];
  let w = i;
  while (i < n) {
    const byte = src[i];
    if (byte === 0x0d && i + 2 < n && src[i + 1] === 0x0a && (src[i + 2] === 0x20 || src[i + 2] === 0x09)) {
      while (w > 0 && (out[w - 1] === 0x20 || out[w - 1] === 0x09)) w--;
      i += 3;
      for (;;) {
        while (i < n && (src[i] === 0x20 || src[i] === 0x09)) i++;
        if (!(i + 2 < n && src[i] === 0x0d && src[i + 1] === 0x0a && (src[i + 2] === 0x20 || src[i + 2] === 0x09))) break;
        i += 3;
      }
      out[w++] = 0x20;
      continue;
    }
    out[w++] = byte;
    i++;
  }
  return w;
}

/** The same for header text that arrives as a string (API callers); the wire paths hand over bytes. */
export function unfoldHeaderText(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return unfoldHeaderString(bytes, 0, bytes.length);
}
