import { SipValueError } from './sip-parse-error';

/**
 * The parsers scan `codes`, one byte per UTF-16 unit of `text` at the same index: the unit itself when it is
 * ASCII, 0x80 or more when it is not. Typed-array reads stay fast in a process where String.prototype methods
 * on primitive strings have turned slow (any `class extends String`, such as ioredis 6's, does that process-wide);
 * `text` is only sliced, once each piece is found.
 */
export type Codes = Uint8Array;

let scratch = Buffer.allocUnsafe(1024);

/** Codes of a string; valid until the next call (one shared scratch: parses are synchronous and never nest calls of this). */
export function codesOf(text: string): Codes {
  const n = text.length;
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, 2 * scratch.length));
  // an all-ASCII string takes one UTF-8 byte per unit and can be copied in one native call
  if (Buffer.byteLength(text, 'utf8') === n) scratch.write(text, 0, n, 'latin1');
  else for (let i = 0; i < n; i++) scratch[i] = Math.min(text.charCodeAt(i), 0x80);
  return scratch;
}

/** The codes of `text` decoded from data[start, end): the bytes themselves when each made one unit. */
export function codesOfDecoded(data: Buffer, start: number, end: number, text: string): Codes {
  // a UTF-8 decoder never makes more units than bytes, so equal lengths mean one unit per byte
  if (text.length !== end - start) return codesOf(text);
  // a view costs as much as a small parse step: the bytes themselves serve when the head starts at 0
  return start === 0 ? data : data.subarray(start, end);
}

// RFC 3261 token characters: alphanum and -.!%*_+`'~; 256 entries so that any byte indexes it
const TOKEN = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;

export function isTokenByte(code: number): boolean {
  return TOKEN[code] === 1;
}

export function isTokenRange(codes: Codes, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (TOKEN[codes[i]] !== 1) return false;
  return true;
}

export function isWsByte(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

export function skipWsAt(codes: Codes, pos: number, end: number): number {
  while (pos < end && isWsByte(codes[pos])) pos++;
  return pos;
}

/** What String.prototype.trim strips, so that range trimming gives the same strings as trim() did. */
function isJsSpace(text: string, codes: Codes, i: number): boolean {
  const c = codes[i];
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  const u = text.charCodeAt(i);
  return u === 0xa0 || u === 0x1680 || (u >= 0x2000 && u <= 0x200a) || u === 0x2028 || u === 0x2029 || u === 0x202f || u === 0x205f || u === 0x3000 || u === 0xfeff;
}

export function trimStartAt(text: string, codes: Codes, start: number, end: number): number {
  while (start < end && isJsSpace(text, codes, start)) start++;
  return start;
}

export function trimEndAt(text: string, codes: Codes, start: number, end: number): number {
  while (end > start && isJsSpace(text, codes, end - 1)) end--;
  return end;
}

export function indexAt(codes: Codes, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (codes[i] === code) return i;
  return -1;
}

/** Decimal value of digits in [start, end) (the caller has checked they are digits). */
export function decimalAt(codes: Codes, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + codes[i] - 0x30;
  return n;
}

/** Case-insensitive ASCII match of codes[start, start + lower.length) against lowercase `lower` bytes. */
export function matchesLower(codes: Codes, start: number, lower: Uint8Array): boolean {
  for (let k = 0; k < lower.length; k++) {
    const c = codes[start + k];
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower[k]) return false;
  }
  return true;
}

/** Index after the quoted-string that starts at pos (raw, no unescaping). */
export function skipQuotedAt(codes: Codes, pos: number, end: number): number {
  for (let i = pos + 1; i < end; i++) {
    const code = codes[i];
    if (code === 0x5c) i++;
    else if (code === 0x22) return i + 1;
  }
  throw new SipValueError('unterminated_quote', 'unterminated quoted string');
}

/** Set by readQuotedAt: the index after the closing quote. */
export let quotedEnd = 0;

/** The unescaped text of the quoted-string that starts at pos; quotedEnd is set past it. */
export function readQuotedAt(text: string, codes: Codes, pos: number, end: number): string {
  let out = '';
  let i = pos + 1;
  let chunkStart = i;
  while (i < end) {
    const code = codes[i];
    if (code === 0x5c) {
      if (i + 1 >= end) break;
      out += text.slice(chunkStart, i) + text[i + 1];
      i += 2;
      chunkStart = i;
      continue;
    }
    if (code === 0x22) {
      quotedEnd = i + 1;
      return out + text.slice(chunkStart, i);
    }
    i++;
  }
  throw new SipValueError('unterminated_quote', 'unterminated quoted string');
}

/** Index of the first comma outside quotes and angle brackets in [from, end), or -1. */
export function findListCommaAt(codes: Codes, from: number, end: number): number {
  let angle = false;
  for (let i = from; i < end; i++) {
    const code = codes[i];
    if (code === 0x22 && !angle) i = skipQuotedAt(codes, i, end) - 1;
    else if (code === 0x3c) angle = true;
    else if (code === 0x3e) angle = false;
    else if (code === 0x2c && !angle) return i;
  }
  if (angle) throw new SipValueError('unterminated_angle', 'unterminated <');
  return -1;
}

/** Strings that are used often enough to hand out one shared copy, bucketed by length. */
export type InternTable = { bytes: Uint8Array; word: string }[][];

export function internTable(words: readonly string[]): InternTable {
  const table: InternTable = [];
  for (const word of words) (table[word.length] ??= []).push({ bytes: Buffer.from(word, 'latin1'), word });
  return table;
}

/** text[start, end), the shared copy when its bytes are one of the table's words exactly. */
export function internAt(text: string, codes: Codes, start: number, end: number, table: InternTable): string {
  const candidates = table[end - start];
  if (candidates !== undefined) {
    outer: for (const { bytes, word } of candidates) {
      for (let k = 0; k < bytes.length; k++) if (codes[start + k] !== bytes[k]) continue outer;
      return word;
    }
  }
  return text.slice(start, end);
}
