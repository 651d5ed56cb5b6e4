import { createHash, randomBytes } from 'node:crypto';
import { createRequest, createResponse } from '../../message/sip-builders';
import type { SipRequest, SipResponse } from '../../message/sip-message';
import { parseAuth } from '../../message/sip-auth';
import { parseSipMessage } from '../../message/sip-parser';
import { serializeMessage } from '../../message/sip-serializer';
import type { SipSource } from '../../transport/transport.types';
import type { Registrar } from '../registrar';
import type { RegistrarReply } from '../registrar.types';

export interface RegisterOptions {
  contacts?: string[];
  expires?: number | string;
  headers?: Array<[string, string]>;
  /** Overrides the Authorization computed from the last challenge. */
  authorization?: string;
  cseq?: number;
}

export const udpSource: SipSource = { protocol: 'udp', remoteAddress: '127.0.0.1', remotePort: 5062, localAddress: '127.0.0.1', localPort: 5060 };

/** A UA registering one AOR; it answers challenges with a digest computed from the RFC formula, not the server code. */
export class RegisterClient {
  callId = randomBytes(8).toString('hex');
  cseq = 0;
  lastChallenge?: string;
  lastAuthorization?: string;
  private nc = 0;

  constructor(
    private readonly registrar: Registrar,
    readonly user: string,
    readonly realm: string,
    private readonly password: string,
    readonly source: SipSource = udpSource,
    private readonly authUser = user,
  ) {}

  build(opts: RegisterOptions = {}, authorization?: string): SipRequest {
    this.cseq = opts.cseq ?? this.cseq + 1;
    const headers: Array<[string, string]> = [];
    for (const contact of opts.contacts ?? []) headers.push(['Contact', contact]);
    if (opts.expires !== undefined) headers.push(['Expires', String(opts.expires)]);
    if (authorization !== undefined) headers.push(['Authorization', authorization]);
    headers.push(...(opts.headers ?? []));
    const built = createRequest({
      method: 'REGISTER',
      uri: `sip:${this.realm}`,
      from: `<sip:${this.user}@${this.realm}>;tag=${randomBytes(4).toString('hex')}`,
      to: `<sip:${this.user}@${this.realm}>`,
      callId: this.callId,
      cseq: this.cseq,
      via: `SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK${randomBytes(8).toString('hex')}`,
      headers,
    });
    // through the wire format, as the transport would deliver it
    const parsed = parseSipMessage(serializeMessage(built));
    if (!parsed.ok || parsed.value.kind !== 'request') throw new Error(`test REGISTER does not parse: ${parsed.ok ? 'response' : parsed.error.message}`);
    return parsed.value;
  }

  async send(opts: RegisterOptions = {}): Promise<RegistrarReply> {
    return this.registrar.handle(this.build(opts, opts.authorization), this.source);
  }

  /** Sends, answers a 401 once (SHA-256 challenge unless told otherwise), returns the final reply. */
  async register(opts: RegisterOptions = {}, algorithm: 'SHA-256' | 'MD5' = 'SHA-256'): Promise<RegistrarReply> {
    const first = await this.send(opts);
    if (first.status !== 401) return first;
    this.lastChallenge = first.headers.find(([n, v]) => n === 'WWW-Authenticate' && v.includes(`algorithm=${algorithm}`))?.[1];
    if (this.lastChallenge === undefined) throw new Error('no challenge for ' + algorithm);
    this.nc = 0;
    return this.send({ ...opts, cseq: undefined, authorization: this.answer(this.lastChallenge) });
  }

  /** Digest answer (RFC 7616 §3.4.1) computed with node:crypto. */
  answer(challenge: string, password = this.password, uri = `sip:${this.realm}`): string {
    const c = parseAuth(challenge);
    const hash = c.get('algorithm') === 'SHA-256' ? 'sha256' : 'md5';
    const h = (text: string) => createHash(hash).update(text).digest('hex');
    this.nc += 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(6).toString('hex');
    const response = h([h(`${this.authUser}:${c.get('realm')}:${password}`), c.get('nonce'), nc, cnonce, 'auth', h(`REGISTER:${uri}`)].join(':'));
    this.lastAuthorization = `Digest username="${this.authUser}", realm="${c.get('realm')}", nonce="${c.get('nonce')}", uri="${uri}", response="${response}", algorithm=${c.get('algorithm')}, cnonce="${cnonce}", opaque="${c.get('opaque')}", qop=auth, nc=${nc}`;
    return this.lastAuthorization;
  }

  /** The reply as the wire response the UA core would send, parsed back. */
  toResponse(request: SipRequest, reply: RegistrarReply): SipResponse {
    const response = createResponse(request, reply.status, reply.reason, { toTag: reply.toTag, headers: reply.headers });
    const parsed = parseSipMessage(serializeMessage(response));
    if (!parsed.ok || parsed.value.kind !== 'response') throw new Error('reply does not serialize to a response');
    return parsed.value;
  }
}

export function header(reply: RegistrarReply, name: string): string[] {
  return reply.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}
