import { SipParam, SipParams } from './sip-params';
import { SipValueError } from './sip-parse-error';
import { Codes, codesOf, decimalAt, indexAt, internAt, internTable, matchesLower } from './sip-scan';
import { SipUnsafeValueError } from './sip-unsafe-value';

export interface SipUri {
  kind: 'sip';
  scheme: 'sip' | 'sips';
  /** Raw (still %-escaped) user part, undefined when the URI has no userinfo. */
  user?: string;
  password?: string;
  /** Hostname, IPv4, or IPv6 reference with its brackets. */
  host: string;
  port?: number;
  params: SipParams;
  headers: SipParam[];
}

export interface TelUri {
  kind: 'tel';
  scheme: 'tel';
  number: string;
  params: SipParams;
}

/** Any other absolute URI (http:, urn:, im: ...) kept opaque, as RFC 3261 allows. */
export interface OtherUri {
  kind: 'other';
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | TelUri | OtherUri;

function bad(text: string, why: string): never {
  throw new SipValueError('bad_uri', `${why}: "${text}"`);
}

function isSchemeCode(code: number, first: boolean): boolean {
  const alpha = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  if (first) return alpha;
  return alpha || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}

function isHostCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2d || code === 0x2e || code === 0x5f;
}

function isIpv6Code(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66) || code === 0x3a || code === 0x2e;
}

function hasForbidden(codes: Codes, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = codes[i];
    if (code <= 0x20 || code === 0x7f || code === 0x3c || code === 0x3e || code === 0x22) return true;
  }
  return false;
}

const PARAM_NAMES = internTable(['transport', 'user', 'lr', 'ob', 'method', 'maddr', 'ttl', 'gr']);

/** `;`-separated params in [start, end) (after the first `;`): every one non-empty, `name` or `name=value`. */
function parseUriParams(text: string, codes: Codes, start: number, end: number, uriText: () => string): SipParams {
  const list: SipParam[] = [];
  for (let partStart = start; ; ) {
    const semi = indexAt(codes, 0x3b, partStart, end);
    const partEnd = semi === -1 ? end : semi;
    if (partEnd === partStart) bad(uriText(), 'empty URI parameter');
    const eq = indexAt(codes, 0x3d, partStart, partEnd);
    if (eq === -1) list.push({ name: internAt(text, codes, partStart, partEnd, PARAM_NAMES), value: null });
    else list.push({ name: internAt(text, codes, partStart, eq, PARAM_NAMES), value: text.slice(eq + 1, partEnd) });
    if (semi === -1) return new SipParams(list);
    partStart = semi + 1;
  }
}

function parseSipUri(text: string, codes: Codes, start: number, end: number, scheme: 'sip' | 'sips', rest: number): SipUri {
  const uriText = () => text.slice(start, end);
  const uri: SipUri = { kind: 'sip', scheme, host: '', params: new SipParams(), headers: [] };
  let pos = rest;
  const at = indexAt(codes, 0x40, rest, end);
  if (at !== -1) {
    const colon = indexAt(codes, 0x3a, rest, at);
    uri.user = text.slice(rest, colon === -1 ? at : colon);
    if (colon !== -1) uri.password = text.slice(colon + 1, at);
    if (uri.user.length === 0) bad(uriText(), 'empty user');
    pos = at + 1;
  }
  const hostStart = pos;
  if (pos < end && codes[pos] === 0x5b) {
    const close = indexAt(codes, 0x5d, pos, end);
    if (close === -1) bad(uriText(), 'unterminated IPv6 reference');
    for (let i = pos + 1; i < close; i++) if (!isIpv6Code(codes[i])) bad(uriText(), 'bad IPv6 reference');
    pos = close + 1;
  } else {
    while (pos < end && isHostCode(codes[pos])) pos++;
  }
  uri.host = text.slice(hostStart, pos);
  if (uri.host.length === 0 || uri.host === '[]') bad(uriText(), 'missing host');
  if (pos < end && codes[pos] === 0x3a) {
    const portStart = ++pos;
    while (pos < end && codes[pos] >= 0x30 && codes[pos] <= 0x39) pos++;
    const port = decimalAt(codes, portStart, pos);
    if (pos === portStart || pos - portStart > 5 || port > 65535) bad(uriText(), 'bad port');
    uri.port = port;
  }
  const q = indexAt(codes, 0x3f, pos, end);
  const paramsEnd = q === -1 ? end : q;
  if (pos < paramsEnd) {
    if (codes[pos] !== 0x3b) bad(uriText(), 'unexpected character after host');
    uri.params = parseUriParams(text, codes, pos + 1, paramsEnd, uriText);
  }
  if (q !== -1) {
    for (let partStart = q + 1; ; ) {
      const amp = indexAt(codes, 0x26, partStart, end);
      const partEnd = amp === -1 ? end : amp;
      const eq = indexAt(codes, 0x3d, partStart, partEnd);
      if (eq <= partStart) bad(uriText(), 'bad URI header');
      uri.headers.push({ name: text.slice(partStart, eq), value: text.slice(eq + 1, partEnd) });
      if (amp === -1) break;
      partStart = amp + 1;
    }
  }
  return uri;
}

const SIP = Buffer.from('sip');
const SIPS = Buffer.from('sips');
const TEL = Buffer.from('tel');

function schemeAt(text: string, codes: Codes, start: number, colon: number): string {
  const length = colon - start;
  if (length === 3 && matchesLower(codes, start, SIP)) return 'sip';
  if (length === 4 && matchesLower(codes, start, SIPS)) return 'sips';
  if (length === 3 && matchesLower(codes, start, TEL)) return 'tel';
  return text.slice(start, colon).toLowerCase();
}

/** Parses a SIP, SIPS, or tel URI; other schemes are accepted as opaque absolute URIs. */
export function parseUri(text: string): Uri {
  return parseUriAt(text, codesOf(text), 0, text.length);
}

/** The same over text[start, end), scanning codes (see sip-scan). */
export function parseUriAt(text: string, codes: Codes, start: number, end: number): Uri {
  const colon = indexAt(codes, 0x3a, start, end);
  if (colon <= start) bad(text.slice(start, end), 'missing scheme');
  for (let i = start; i < colon; i++) if (!isSchemeCode(codes[i], i === start)) bad(text.slice(start, end), 'bad scheme');
  if (hasForbidden(codes, start, end)) bad(text.slice(start, end), 'forbidden character in URI');
  const scheme = schemeAt(text, codes, start, colon);
  const rest = colon + 1;
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, codes, start, end, scheme, rest);
  if (scheme === 'tel') {
    const semi = indexAt(codes, 0x3b, rest, end);
    if ((semi === -1 ? end : semi) === rest) bad(text.slice(start, end), 'empty telephone number');
    const number = text.slice(rest, semi === -1 ? end : semi);
    return { kind: 'tel', scheme, number, params: semi === -1 ? new SipParams() : parseUriParams(text, codes, semi + 1, end, () => text.slice(start, end)) };
  }
  if (rest === end) bad(text.slice(start, end), 'empty URI');
  return { kind: 'other', scheme, opaque: text.slice(rest, end) };
}

// what may never appear raw in a URI: it would end the URI, the name-addr around it, or the line
// eslint-disable-next-line no-control-regex
const BREAKS_URI = /[\x00-\x20\x7f<>"]/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._]+)$/;

function unsafe(why: string): never {
  throw new SipUnsafeValueError('URI', 'bad_uri', why);
}

/** Parts built by hand must read back as the same parts: the parser splits at these characters. */
function checkSipParts(uri: SipUri): void {
  if (uri.user?.includes('@') || uri.password?.includes('@')) unsafe('an @ inside the user part');
  if (!HOST.test(uri.host)) unsafe('the host is no hostname or IP reference');
  if (uri.port !== undefined && !(Number.isInteger(uri.port) && uri.port >= 0 && uri.port <= 65535)) unsafe('bad port');
  for (const p of uri.params.list) if (/[;?=]/.test(p.name) || (p.value !== null && /[;?]/.test(p.value))) unsafe('a ; ? or = that would split a URI parameter');
  for (const h of uri.headers) if (h.name.length === 0 || /[&=]/.test(h.name) || (h.value !== null && h.value.includes('&'))) unsafe('an & or = that would split a URI header');
}

/** Throws SipUnsafeValueError when the result would not read back as the same URI. */
export function serializeUri(uri: Uri): string {
  let out: string;
  if (uri.kind === 'other') out = `${uri.scheme}:${uri.opaque}`;
  else if (uri.kind === 'tel') out = `tel:${uri.number}${uri.params.toString()}`;
  else {
    checkSipParts(uri);
    out = `${uri.scheme}:`;
    if (uri.user !== undefined) out += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
    out += uri.host;
    if (uri.port !== undefined) out += `:${uri.port}`;
    out += uri.params.toString();
    if (uri.headers.length > 0) out += '?' + uri.headers.map((h) => `${h.name}=${h.value ?? ''}`).join('&');
  }
  if (BREAKS_URI.test(out)) unsafe('a control character, space, <, > or " in a URI');
  return out;
}

/** Decodes %XX escapes, leaving malformed ones untouched instead of throwing. */
export function unescapeUriPart(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}
