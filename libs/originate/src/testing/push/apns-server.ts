import { createServer, constants, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { verifyJwt } from './jwt-verify';

export interface ApnsPush {
  token: string;
  headers: IncomingHttpHeaders;
  payload: Record<string, unknown>;
}

export interface LocalApnsOptions {
  publicKey: KeyObject;
  keyId: string;
  teamId: string;
  /** Topics the app may use (its `<bundle>.voip`). */
  topics: string[];
  now?: () => number;
}

/**
 * An APNs provider API on 127.0.0.1 (HTTP/2, cleartext): refuses what api.push.apple.com refuses, with its status
 * codes and reasons (documented "Handling notification responses from APNs"), and records what it accepts.
 */
export class LocalApns {
  readonly accepted: ApnsPush[] = [];
  readonly refused: Array<{ status: number; reason: string }> = [];
  private constructor(
    private readonly server: Http2Server,
    private readonly opts: LocalApnsOptions,
  ) {}

  static async start(opts: LocalApnsOptions): Promise<LocalApns> {
    const server = createServer();
    const apns = new LocalApns(server, opts);
    server.on('stream', (stream, headers) => apns.onStream(stream, headers));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return apns;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (body += c));
    stream.on('end', () => {
      const verdict = this.check(headers, body);
      if (verdict === undefined) {
        this.accepted.push({ token: String(headers[constants.HTTP2_HEADER_PATH]).slice('/3/device/'.length), headers, payload: JSON.parse(body) as Record<string, unknown> });
        stream.respond({ ':status': 200, 'apns-id': '4d0f6e4b-6ab7-4c3a-bb0b-2d1b2a1c0e9f' });
        stream.end();
        return;
      }
      this.refused.push(verdict);
      stream.respond({ ':status': verdict.status, 'content-type': 'application/json' });
      stream.end(JSON.stringify({ reason: verdict.reason }));
    });
  }

  private check(h: IncomingHttpHeaders, body: string): { status: number; reason: string } | undefined {
    if (h[constants.HTTP2_HEADER_METHOD] !== 'POST') return { status: 405, reason: 'MethodNotAllowed' };
    const path = String(h[constants.HTTP2_HEADER_PATH] ?? '');
    if (!path.startsWith('/3/device/')) return { status: 404, reason: 'BadPath' };
    if (!/^[0-9a-fA-F]{64,200}$/.test(path.slice('/3/device/'.length))) return { status: 400, reason: 'BadDeviceToken' };
    const auth = String(h['authorization'] ?? '');
    if (!auth.startsWith('bearer ')) return { status: 403, reason: 'MissingProviderToken' };
    const jwt = verifyJwt(auth.slice('bearer '.length), 'ES256', this.opts.publicKey);
    if (jwt === undefined || jwt.header['kid'] !== this.opts.keyId || jwt.claims['iss'] !== this.opts.teamId) return { status: 403, reason: 'InvalidProviderToken' };
    const iat = Number(jwt.claims['iat']);
    const now = (this.opts.now ?? Date.now)() / 1000;
    if (!Number.isInteger(iat) || now - iat > 3600) return { status: 403, reason: 'ExpiredProviderToken' };
    const topic = h['apns-topic'];
    if (typeof topic !== 'string') return { status: 400, reason: 'MissingTopic' };
    if (!this.opts.topics.includes(topic)) return { status: 400, reason: 'DeviceTokenNotForTopic' };
    // VoIP pushes need the voip type and a .voip topic
    if (h['apns-push-type'] !== 'voip' || !topic.endsWith('.voip')) return { status: 400, reason: 'InvalidPushType' };
    if (h['apns-priority'] !== undefined && h['apns-priority'] !== '10' && h['apns-priority'] !== '5') return { status: 400, reason: 'BadPriority' };
    if (h['apns-expiration'] !== undefined && !/^\d+$/.test(String(h['apns-expiration']))) return { status: 400, reason: 'BadExpirationDate' };
    if (Buffer.byteLength(body) > 5120) return { status: 413, reason: 'PayloadTooLarge' };
    try {
      const payload = JSON.parse(body) as unknown;
      if (typeof payload !== 'object' || payload === null || typeof (payload as { aps?: unknown }).aps !== 'object') return { status: 400, reason: 'PayloadEmpty' };
    } catch {
      return { status: 400, reason: 'PayloadEmpty' };
    }
    return undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
