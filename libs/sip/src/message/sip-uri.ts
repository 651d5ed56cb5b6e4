import { SipParam, SipParams } from './sip-params';
import { SipValueError } from './sip-parse-error';
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

function hasForbidden(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || code === 0x3c || code === 0x3e || code === 0x22) return true;
  }
  return false;
}

function parseUriParams(text: string, uriText: string): SipParams {
  const list: SipParam[] = [];
  for (const part of text.split(';')) {
    if (part.length === 0) bad(uriText, 'empty URI parameter');
    const eq = part.indexOf('=');
    list.push(eq === -1 ? { name: part, value: null } : { name: part.slice(0, eq), value: part.slice(eq + 1) });
  }
  return new SipParams(list);
}

function parseSipUri(text: string, scheme: 'sip' | 'sips', rest: string): SipUri {
  const uri: SipUri = { kind: 'sip', scheme, host: '', params: new SipParams(), headers: [] };
  let pos = 0;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    uri.user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (colon !== -1) uri.password = userinfo.slice(colon + 1);
    if (uri.user.length === 0) bad(text, 'empty user');
    pos = at + 1;
  }
  const hostStart = pos;
  if (rest.charCodeAt(pos) === 0x5b) {
    const close = rest.indexOf(']', pos);
    if (close === -1) bad(text, 'unterminated IPv6 reference');
    for (let i = pos + 1; i < close; i++) if (!isIpv6Code(rest.charCodeAt(i))) bad(text, 'bad IPv6 reference');
    pos = close + 1;
  } else {
    while (pos < rest.length && isHostCode(rest.charCodeAt(pos))) pos++;
  }
  uri.host = rest.slice(hostStart, pos);
  if (uri.host.length === 0 || uri.host === '[]') bad(text, 'missing host');
  if (rest.charCodeAt(pos) === 0x3a) {
    const portStart = ++pos;
    while (pos < rest.length && rest.charCodeAt(pos) >= 0x30 && rest.charCodeAt(pos) <= 0x39) pos++;
    const port = Number(rest.slice(portStart, pos));
    if (pos === portStart || pos - portStart > 5 || port > 65535) bad(text, 'bad port');
    uri.port = port;
  }
  const q = rest.indexOf('?', pos);
  const paramsEnd = q === -1 ? rest.length : q;
  if (pos < paramsEnd) {
    if (rest.charCodeAt(pos) !== 0x3b) bad(text, 'unexpected character after host');
    uri.params = parseUriParams(rest.slice(pos + 1, paramsEnd), text);
  }
  if (q !== -1) {
    for (const part of rest.slice(q + 1).split('&')) {
      const eq = part.indexOf('=');
      if (eq <= 0) bad(text, 'bad URI header');
      uri.headers.push({ name: part.slice(0, eq), value: part.slice(eq + 1) });
    }
  }
  return uri;
}

/** Parses a SIP, SIPS, or tel URI; other schemes are accepted as opaque absolute URIs. */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) bad(text, 'missing scheme');
  for (let i = 0; i < colon; i++) if (!isSchemeCode(text.charCodeAt(i), i === 0)) bad(text, 'bad scheme');
  if (hasForbidden(text)) bad(text, 'forbidden character in URI');
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, scheme, rest);
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    const number = semi === -1 ? rest : rest.slice(0, semi);
    if (number.length === 0) bad(text, 'empty telephone number');
    return { kind: 'tel', scheme, number, params: semi === -1 ? new SipParams() : parseUriParams(rest.slice(semi + 1), text) };
  }
  if (rest.length === 0) bad(text, 'empty URI');
  return { kind: 'other', scheme, opaque: rest };
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
