import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { PushMessage, PushResult, PushSender } from '../push.types';
import { signJwt } from './jwt';

export interface ApnsOptions {
  /** The .p8 signing key (PKCS#8 PEM, P-256) of an APNs auth key. */
  key: string;
  keyId: string;
  teamId: string;
  /** The app's bundle id; VoIP pushes go to the topic `<bundle>.voip`. */
  bundleId: string;
  /** Default https://api.push.apple.com (https://api.sandbox.push.apple.com for development builds). */
  url?: string;
  timeoutMs?: number;
  now?: () => number;
}

/** Apple refuses provider tokens older than an hour and throttles ones renewed more often than every 20 minutes. */
const TOKEN_REFRESH_MS = 40 * 60 * 1000;

/** The topic: RFC 8599 APNs pn-param is `<Team ID>.<topic>`; without one, `<bundle>.voip`. */
export function apnsTopic(param: string | undefined, bundleId: string): string {
  const dot = param?.indexOf('.') ?? -1;
  return param !== undefined && dot > 0 && param.endsWith('.voip') ? param.slice(dot + 1) : `${bundleId}.voip`;
}

/** APNs provider API over HTTP/2, token-based auth (ES256 JWT from the .p8 key), VoIP pushes (`apns-push-type: voip`). */
export class ApnsSender implements PushSender {
  readonly name = 'apns';
  private readonly key: KeyObject;
  private session: ClientHttp2Session | undefined;
  private token: { value: string; at: number } | undefined;

  constructor(private readonly opts: ApnsOptions) {
    this.key = createPrivateKey(opts.key);
    if (this.key.asymmetricKeyType !== 'ec') throw new Error('APNs key must be an EC (P-256) .p8 key');
  }

  async send(message: PushMessage): Promise<PushResult> {
    const payload = JSON.stringify({
      aps: {}, kind: message.kind, call_id: message.callId,
      ...(message.callerName !== undefined ? { caller_name: message.callerName } : {}), ...(message.reason !== undefined ? { reason: message.reason } : {}),
    });
    const headers = {
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(message.prid)}`,
      authorization: `bearer ${this.providerToken()}`,
      'apns-topic': apnsTopic(message.param, this.opts.bundleId),
      'apns-push-type': 'voip',
      // a VoIP call push is useless later: deliver now or never
      'apns-priority': '10',
      'apns-expiration': '0',
      'content-type': 'application/json',
    };
    try {
      return await this.request(headers, payload);
    } catch (err) {
      this.drop();
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session !== undefined && !session.closed) await new Promise<void>((resolve) => session.close(() => resolve()));
  }

  private request(headers: Record<string, string>, payload: string): Promise<PushResult> {
    return new Promise((resolve, reject) => {
      const req = this.connection().request(headers);
      req.setTimeout(this.opts.timeoutMs ?? 5000, () => req.close(constants.NGHTTP2_CANCEL));
      let status = 0;
      let body = '';
      req.on('response', (h) => (status = Number(h[constants.HTTP2_HEADER_STATUS])));
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('error', reject);
      req.on('close', () => {
        if (status === 0) return reject(new Error('APNs closed the stream without an answer'));
        if (status === 200) return resolve({ ok: true, status });
        resolve({ ok: false, status, error: reasonOf(body) ?? `HTTP ${status}` });
      });
      req.end(payload);
    });
  }

  private connection(): ClientHttp2Session {
    if (this.session !== undefined && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.opts.url ?? 'https://api.push.apple.com');
    session.on('error', () => this.drop(session));
    session.on('goaway', () => this.drop(session));
    this.session = session;
    return session;
  }

  private drop(session = this.session): void {
    if (this.session === session) this.session = undefined;
    session?.destroy();
  }

  private providerToken(): string {
    const now = (this.opts.now ?? Date.now)();
    if (this.token === undefined || now - this.token.at > TOKEN_REFRESH_MS) {
      this.token = { value: signJwt('ES256', this.key, { kid: this.opts.keyId }, { iss: this.opts.teamId, iat: Math.floor(now / 1000) }), at: now };
    }
    return this.token.value;
  }
}

function reasonOf(body: string): string | undefined {
  try {
    const reason = (JSON.parse(body) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return body.trim() || undefined;
  }
}
