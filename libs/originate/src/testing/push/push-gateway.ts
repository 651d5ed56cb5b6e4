import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature } from '@legwork/webhook-delivery';

/** One push as the gateway received it (JSON body as sent). */
export interface GatewayPush {
  provider: string;
  prid: string;
  param: string | null;
  kind: 'call' | 'update' | 'cancel';
  call_id: string;
  caller_name: string | null;
  reason: string | null;
}

/**
 * A generic push gateway on 127.0.0.1: checks the signature and the body, records the push and hands it to
 * `onPush` (a test starts the "woken" device there); `status` decides what it answers (default 202).
 */
export class LocalPushGateway {
  readonly pushes: GatewayPush[] = [];
  readonly rejected: string[] = [];
  onPush: (push: GatewayPush) => void | Promise<void> = () => undefined;
  status: (push: GatewayPush, attempt: number) => number = () => 202;
  private attempts = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    private readonly secret: string,
  ) {}

  static async start(secret: string): Promise<LocalPushGateway> {
    const server = createServer();
    const gw = new LocalPushGateway(server, secret);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void gw.handle(req).then(([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return gw;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/push`;
  }

  pushesOf(callId: string, kind?: GatewayPush['kind']): GatewayPush[] {
    return this.pushes.filter((p) => p.call_id === callId && (kind === undefined || p.kind === kind));
  }

  private async handle(req: IncomingMessage): Promise<[number, string]> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const signature = req.headers[SIGNATURE_HEADER.toLowerCase()];
    if (req.method !== 'POST' || typeof signature !== 'string' || !verifySignature(this.secret, body, signature, Math.floor(Date.now() / 1000))) {
      this.rejected.push(`bad signature or method: ${req.method ?? ''}`);
      return [401, '{"error":"bad signature"}'];
    }
    const push = JSON.parse(body) as GatewayPush;
    if (typeof push.prid !== 'string' || typeof push.provider !== 'string' || !['call', 'update', 'cancel'].includes(push.kind) || typeof push.call_id !== 'string') {
      this.rejected.push(`malformed: ${body}`);
      return [400, '{"error":"malformed push"}'];
    }
    const key = `${push.call_id}|${push.kind}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const status = this.status(push, attempt);
    if (status >= 200 && status < 300) {
      this.pushes.push(push);
      await this.onPush(push);
    }
    return [status, status < 300 ? '{}' : '{"error":"gateway says no"}'];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
