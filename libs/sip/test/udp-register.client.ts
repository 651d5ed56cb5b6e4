import { createHash, randomBytes } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { parseAuth } from '../src/message/sip-auth';
import type { SipResponse } from '../src/message/sip-message';
import { parseSipMessage } from '../src/message/sip-parser';

export interface UdpRegister {
  user: string;
  domain: string;
  /** Username in the Authorization header (defaults to the AOR user). */
  authUser?: string;
  contacts?: string[];
  expires?: number;
  authorization?: string;
  callId?: string;
  cseq?: number;
}

export interface UdpReply {
  raw: string;
  response: SipResponse;
}

/** A phone on a real UDP socket, bound to its own loopback address; it writes REGISTERs by hand, as text. */
export class UdpRegisterClient {
  private readonly waiting = new Map<string, (reply: UdpReply) => void>();
  private cseq = 0;
  private nc = 0;
  /** The Authorization value of the last REGISTER sent with one, as a sniffer on the path would see it. */
  lastAuthorization?: string;

  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
    private readonly server: { host: string; port: number },
  ) {
    socket.on('message', (buf) => {
      const parsed = parseSipMessage(buf);
      if (!parsed.ok || parsed.value.kind !== 'response') return;
      const key = `${parsed.value.callId ?? ''} ${parsed.value.cseq?.seq ?? ''}`;
      const done = this.waiting.get(key);
      // provisional responses are not what a REGISTER test waits for
      if (done === undefined || parsed.value.status < 200) return;
      this.waiting.delete(key);
      done({ raw: buf.toString('utf8'), response: parsed.value });
    });
  }

  static async open(host: string, server: { host: string; port: number }): Promise<UdpRegisterClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    return new UdpRegisterClient(socket, host, socket.address().port, server);
  }

  /** Sends one REGISTER and waits for its final response (retransmitting like a UA over UDP). */
  async send(r: UdpRegister): Promise<UdpReply> {
    const callId = r.callId ?? randomBytes(8).toString('hex');
    this.cseq = r.cseq ?? this.cseq + 1;
    const lines = [
      `REGISTER sip:${r.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.host}:${this.port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:${r.user}@${r.domain}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${r.user}@${r.domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${this.cseq} REGISTER`,
      ...(r.contacts ?? [`<sip:${r.user}@${this.host}:${this.port}>`]).map((c) => `Contact: ${c}`),
      ...(r.expires !== undefined ? [`Expires: ${r.expires}`] : []),
      ...(r.authorization !== undefined ? [`Authorization: ${r.authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ];
    if (r.authorization !== undefined) this.lastAuthorization = r.authorization;
    const data = Buffer.from(lines.join('\r\n'));
    const key = `${callId} ${this.cseq}`;
    return new Promise<UdpReply>((resolve, reject) => {
      let tries = 0;
      const timer = setInterval(() => {
        if (++tries > 20) {
          clearInterval(timer);
          this.waiting.delete(key);
          reject(new Error(`no final response to REGISTER ${key}`));
        } else this.socket.send(data, this.server.port, this.server.host);
      }, 250);
      this.waiting.set(key, (reply) => {
        clearInterval(timer);
        resolve(reply);
      });
      this.socket.send(data, this.server.port, this.server.host);
    });
  }

  /** REGISTER, then answer the 401's MD5 challenge with `password` in the same Call-ID; returns both replies. */
  async register(r: UdpRegister, password: string): Promise<{ challenge: UdpReply; final: UdpReply }> {
    const callId = r.callId ?? randomBytes(8).toString('hex');
    const challenge = await this.send({ ...r, callId });
    if (challenge.response.status !== 401) return { challenge, final: challenge };
    const value = challenge.response.headers.getAll('www-authenticate').find((v) => /algorithm=MD5/i.test(v)) ?? '';
    this.nc = 0;
    const cseq = r.cseq === undefined ? undefined : r.cseq + 1;
    const final = await this.send({ ...r, callId, cseq, authorization: this.answer(value, r.authUser ?? r.user, password, `sip:${r.domain}`) });
    return { challenge, final };
  }

  /** Digest answer (RFC 7616 §3.4.1) computed with node:crypto from the challenge text. */
  answer(challenge: string, username: string, password: string, uri: string): string {
    const c = parseAuth(challenge);
    const hash = c.get('algorithm') === 'SHA-256' ? 'sha256' : 'md5';
    const h = (text: string) => createHash(hash).update(text).digest('hex');
    this.nc += 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(6).toString('hex');
    const response = h([h(`${username}:${c.get('realm')}:${password}`), c.get('nonce'), nc, cnonce, 'auth', h(`REGISTER:${uri}`)].join(':'));
    return `Digest username="${username}", realm="${c.get('realm')}", nonce="${c.get('nonce')}", uri="${uri}", response="${response}", algorithm=${c.get('algorithm')}, cnonce="${cnonce}", opaque="${c.get('opaque')}", qop=auth, nc=${nc}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
