import { SipValueError } from './sip-parse-error';
import { SipUnsafeValueError } from './sip-unsafe-value';

// RFC 3261 token characters: alphanum and -.!%*_+`'~
const TOKEN = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;

export function isTokenCode(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isTokenCode(text.charCodeAt(i))) return false;
  return true;
}

export function isWs(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

export function skipWs(text: string, pos: number): number {
  while (pos < text.length && isWs(text.charCodeAt(pos))) pos++;
  return pos;
}

/** Reads a quoted-string starting at the opening quote; returns the unescaped text and the index after the closing quote. */
export function readQuoted(text: string, pos: number): [string, number] {
  let out = '';
  let i = pos + 1;
  let chunkStart = i;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) {
      if (i + 1 >= text.length) break;
      out += text.slice(chunkStart, i) + text[i + 1];
      i += 2;
      chunkStart = i;
      continue;
    }
    if (code === 0x22) return [out + text.slice(chunkStart, i), i + 1];
    i++;
  }
  throw new SipValueError('unterminated_quote', 'unterminated quoted string');
}

/** Index after the quoted-string that starts at pos (raw, no unescaping). */
export function skipQuoted(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) i++;
    else if (code === 0x22) return i + 1;
  }
  throw new SipValueError('unterminated_quote', 'unterminated quoted string');
}

// RFC 3261 §25.1: quoted-pair may escape any octet but CR and LF; controls other than HTAB must be escaped
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** quoted-string; throws SipUnsafeValueError for CR or LF, which no quoting can carry. */
export function quote(text: string): string {
  if (text.indexOf('\r') !== -1 || text.indexOf('\n') !== -1) throw new SipUnsafeValueError('quoted-string', 'line_break', 'contains CR or LF');
  return '"' + text.replace(NEEDS_ESCAPE, (m) => '\\' + m) + '"';
}

/** Strips the quotes of a raw quoted param value; tokens come back unchanged. */
export function unquote(raw: string): string {
  if (raw.length >= 2 && raw.charCodeAt(0) === 0x22) return readQuoted(raw, 0)[0];
  return raw;
}

/** Index of the first comma that is outside quotes and angle brackets, or -1. */
export function findListComma(text: string, from: number): number {
  let angle = false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 && !angle) i = skipQuoted(text, i) - 1;
    else if (code === 0x3c) angle = true;
    else if (code === 0x3e) angle = false;
    else if (code === 0x2c && !angle) return i;
  }
  if (angle) throw new SipValueError('unterminated_angle', 'unterminated <');
  return -1;
}

/** Splits a comma list (RFC 3261 §7.3.1) without breaking quoted strings or <URIs>; empty items are dropped. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const comma = findListComma(text, start);
    const item = (comma === -1 ? text.slice(start) : text.slice(start, comma)).trim();
    if (item.length > 0) out.push(item);
    if (comma === -1) return out;
    start = comma + 1;
  }
}

/** Only the first list item; the hot path needs the top Via without splitting the rest. */
export function firstListItem(text: string): string {
  const comma = findListComma(text, 0);
  return (comma === -1 ? text : text.slice(0, comma)).trim();
}
