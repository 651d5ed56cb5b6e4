const NUL = 0x00;
const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Index of the first NUL in [start, end) that is not the escaped octet of a quoted-pair inside a
 * quoted-string (RFC 3261 §25.1 allows `\` NUL there; RFC 4475 §3.1.1.2 sends one), or -1.
 * memchr first; the quote-aware pass runs only for a head that holds a NUL at all.
 */
export function rawNulIndex(data: Buffer, start: number, end: number): number {
  // memchr past `end` into the body is cheaper than a subarray per message
  const first = data.indexOf(NUL, start);
  if (first === -1 || first >= end) return -1;
  let quoted = false;
  for (let i = start; i < end; i++) {
    const byte = data[i];
    if (byte === NUL) return i;
    if (byte === QUOTE) quoted = !quoted;
    else if (byte === BACKSLASH && quoted && i + 1 < end && data[i + 1] !== CR && data[i + 1] !== LF) i++;
    // a new header line (not a fold) ends any quoted-string left open by a stray quote
    else if (byte === CR && data[i + 1] === LF && data[i + 2] !== 0x20 && data[i + 2] !== 0x09) quoted = false;
  }
  return -1;
}

/** The same over text; only called when the text holds a NUL. */
export function rawNulInText(text: string): boolean {
  if (text.indexOf('\0') === -1) return false;
  const bytes = Buffer.from(text, 'utf8');
  return rawNulIndex(bytes, 0, bytes.length) !== -1;
}
