import { SipValueError } from './sip-parse-error';
import { isTokenCode, quote, readQuoted, skipWs } from './sip-text';

export interface SipAuthParam {
  name: string;
  value: string;
  /** Written as a quoted-string; kept so a re-serialized header reads the same. */
  quoted: boolean;
}

/** WWW-Authenticate / Authorization / Proxy-* value: `Digest realm="x", nonce="y"` or a token68 scheme. */
export class SipAuth {
  constructor(
    public scheme: string,
    public params: SipAuthParam[] = [],
    public token68?: string,
  ) {}

  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.params.find((p) => p.name.toLowerCase() === lower)?.value;
  }

  toString(): string {
    return serializeAuth(this);
  }
}

function bad(text: string, why: string): never {
  throw new SipValueError('bad_auth', `${why}: "${text}"`);
}

function readToken(text: string, pos: number): number {
  while (pos < text.length && isTokenCode(text.charCodeAt(pos))) pos++;
  return pos;
}

export function parseAuth(text: string): SipAuth {
  let pos = skipWs(text, 0);
  const schemeEnd = readToken(text, pos);
  if (schemeEnd === pos) bad(text, 'missing auth scheme');
  const auth = new SipAuth(text.slice(pos, schemeEnd));
  pos = skipWs(text, schemeEnd);
  if (pos >= text.length) return auth;
  const probe = skipWs(text, readToken(text, pos));
  if (text.charCodeAt(probe) !== 0x3d || /^[A-Za-z0-9\-._~+/]+=*\s*$/.test(text.slice(pos))) {
    // no `name=` ahead, or only trailing `=` padding: a token68 credential (e.g. Bearer)
    const token = text.slice(pos).trim();
    if (token.includes(' ') || token.includes(',')) bad(text, 'bad token68');
    auth.token68 = token;
    return auth;
  }
  while (pos < text.length) {
    const nameEnd = readToken(text, pos);
    if (nameEnd === pos) bad(text, 'empty auth param name');
    const name = text.slice(pos, nameEnd);
    pos = skipWs(text, nameEnd);
    if (text.charCodeAt(pos) !== 0x3d) bad(text, `expected "=" after ${name}`);
    pos = skipWs(text, pos + 1);
    let value: string;
    let quoted = false;
    if (text.charCodeAt(pos) === 0x22) {
      [value, pos] = readQuoted(text, pos);
      quoted = true;
    } else {
      const end = readToken(text, pos);
      if (end === pos) bad(text, `empty value for ${name}`);
      value = text.slice(pos, end);
      pos = end;
    }
    auth.params.push({ name, value, quoted });
    pos = skipWs(text, pos);
    if (pos < text.length) {
      if (text.charCodeAt(pos) !== 0x2c) bad(text, 'expected "," between auth params');
      pos = skipWs(text, pos + 1);
    }
  }
  return auth;
}

export function serializeAuth(auth: SipAuth): string {
  if (auth.token68 !== undefined) return `${auth.scheme} ${auth.token68}`;
  if (auth.params.length === 0) return auth.scheme;
  return `${auth.scheme} ${auth.params.map((p) => `${p.name}=${p.quoted ? quote(p.value) : p.value}`).join(', ')}`;
}
