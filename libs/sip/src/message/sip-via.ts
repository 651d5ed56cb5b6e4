import { SipParams, parseHeaderParamsAt } from './sip-params';
import { SipValueError } from './sip-parse-error';
import { Codes, codesOf, decimalAt, indexAt, isTokenByte, skipWsAt } from './sip-scan';

/** One Via hop (RFC 3261 §20.42). */
export class SipVia {
  constructor(
    public transport: string,
    public host: string,
    public port?: number,
    public params: SipParams = new SipParams(),
    public protocol = 'SIP',
    public version = '2.0',
  ) {}

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  /** true when the client asked for rport (RFC 3581) without a value yet. */
  get rport(): number | true | undefined {
    const value = this.params.get('rport');
    if (value === undefined) return undefined;
    return value === null || value === '' ? true : Number(value);
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  get ttl(): number | undefined {
    const value = this.params.get('ttl');
    return value ? Number(value) : undefined;
  }

  toString(): string {
    return serializeVia(this);
  }
}

function bad(text: string, why: string): never {
  throw new SipValueError('bad_via', `${why}: "${text}"`);
}

function readToken(codes: Codes, pos: number, end: number): number {
  while (pos < end && isTokenByte(codes[pos])) pos++;
  return pos;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Parses a single via-parm (the caller splits comma lists). */
export function parseVia(text: string): SipVia {
  return parseViaAt(text, codesOf(text), 0, text.length);
}

/** The same over text[start, end), scanning codes (see sip-scan). */
export function parseViaAt(text: string, codes: Codes, start: number, end: number): SipVia {
  const parts: string[] = [];
  let pos = skipWsAt(codes, start, end);
  for (let i = 0; i < 3; i++) {
    if (i > 0) {
      if (pos >= end || codes[pos] !== 0x2f) bad(text.slice(start, end), 'expected "/" in sent-protocol');
      pos = skipWsAt(codes, pos + 1, end);
    }
    const tokenEnd = readToken(codes, pos, end);
    if (tokenEnd === pos) bad(text.slice(start, end), 'empty sent-protocol part');
    parts.push(text.slice(pos, tokenEnd));
    pos = skipWsAt(codes, tokenEnd, end);
  }
  const hostStart = pos;
  if (pos < end && codes[pos] === 0x5b) {
    const close = indexAt(codes, 0x5d, pos, end);
    if (close === -1) bad(text.slice(start, end), 'unterminated IPv6 reference');
    pos = close + 1;
  } else {
    pos = readToken(codes, pos, end);
  }
  const host = text.slice(hostStart, pos);
  if (host.length === 0) bad(text.slice(start, end), 'missing sent-by host');
  let port: number | undefined;
  pos = skipWsAt(codes, pos, end);
  if (pos < end && codes[pos] === 0x3a) {
    pos = skipWsAt(codes, pos + 1, end);
    const portStart = pos;
    while (pos < end && isDigit(codes[pos])) pos++;
    if (pos === portStart || pos - portStart > 5) bad(text.slice(start, end), 'bad sent-by port');
    port = decimalAt(codes, portStart, pos);
    if (port > 65535) bad(text.slice(start, end), 'bad sent-by port');
  }
  const params = parseHeaderParamsAt(text, codes, pos, end, start);
  return new SipVia(parts[2], host, port, params, parts[0], parts[1]);
}

export function serializeVia(via: SipVia): string {
  const port = via.port !== undefined ? `:${via.port}` : '';
  return `${via.protocol}/${via.version}/${via.transport} ${via.host}${port}${via.params.toString()}`;
}
