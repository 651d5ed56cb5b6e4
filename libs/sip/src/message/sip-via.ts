import { SipParams, parseHeaderParams } from './sip-params';
import { SipValueError } from './sip-parse-error';
import { isTokenCode, skipWs } from './sip-text';

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

function readToken(text: string, pos: number): number {
  while (pos < text.length && isTokenCode(text.charCodeAt(pos))) pos++;
  return pos;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Parses a single via-parm (the caller splits comma lists). */
export function parseVia(text: string): SipVia {
  const parts: string[] = [];
  let pos = skipWs(text, 0);
  for (let i = 0; i < 3; i++) {
    if (i > 0) {
      if (text.charCodeAt(pos) !== 0x2f) bad(text, 'expected "/" in sent-protocol');
      pos = skipWs(text, pos + 1);
    }
    const end = readToken(text, pos);
    if (end === pos) bad(text, 'empty sent-protocol part');
    parts.push(text.slice(pos, end));
    pos = skipWs(text, end);
  }
  const hostStart = pos;
  if (text.charCodeAt(pos) === 0x5b) {
    const close = text.indexOf(']', pos);
    if (close === -1) bad(text, 'unterminated IPv6 reference');
    pos = close + 1;
  } else {
    while (pos < text.length && (isTokenCode(text.charCodeAt(pos)) && text.charCodeAt(pos) !== 0x3b)) pos++;
  }
  const host = text.slice(hostStart, pos);
  if (host.length === 0) bad(text, 'missing sent-by host');
  let port: number | undefined;
  pos = skipWs(text, pos);
  if (text.charCodeAt(pos) === 0x3a) {
    pos = skipWs(text, pos + 1);
    const portStart = pos;
    while (pos < text.length && isDigit(text.charCodeAt(pos))) pos++;
    if (pos === portStart || pos - portStart > 5) bad(text, 'bad sent-by port');
    port = Number(text.slice(portStart, pos));
    if (port > 65535) bad(text, 'bad sent-by port');
  }
  const params = parseHeaderParams(text, pos);
  return new SipVia(parts[2], host, port, params, parts[0], parts[1]);
}

export function serializeVia(via: SipVia): string {
  const port = via.port !== undefined ? `:${via.port}` : '';
  return `${via.protocol}/${via.version}/${via.transport} ${via.host}${port}${via.params.toString()}`;
}
