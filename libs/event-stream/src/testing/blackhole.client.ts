import type { Socket } from 'node:net';
import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { action: string };

export interface CloseInfo {
  code: number;
  reason: string;
}

/** A blackhole client for tests: request/reply by request_id, every event kept in order. */
export class BlackholeClient {
  readonly events: Frame[] = [];
  readonly closed: Promise<CloseInfo>;
  private readonly waiters = new Map<string, (frame: Frame) => void>();
  private eventWaiters: Array<() => void> = [];
  private seq = 0;

  private constructor(
    readonly ws: WebSocket,
    /** The TCP socket underneath; pausing it leaves what the server sends unread. */
    readonly socket: Socket,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => this.onFrame(JSON.parse(String(data)) as Frame));
  }

  static connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<BlackholeClient> {
    const ws = new WebSocket(url, opts);
    let socket: Socket | undefined;
    ws.once('upgrade', (res) => {
      socket = res.socket;
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => (socket ? resolve(new BlackholeClient(ws, socket)) : reject(new Error('no upgrade seen'))));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  request(frame: Record<string, unknown>): Promise<Frame> {
    const requestId = `r${++this.seq}`;
    return new Promise((resolve) => {
      this.waiters.set(requestId, resolve);
      this.ws.send(JSON.stringify({ ...frame, request_id: requestId }));
    });
  }

  /** A subscribe; `token` undefined sends none (a socket that authenticated once needs no other). */
  subscribe(token: string | undefined, accountId: string, binding: string): Promise<Frame> {
    return this.request({ action: 'subscribe', ...(token !== undefined ? { auth_token: token } : {}), data: { account_id: accountId, binding } });
  }

  /** Resolves once `count` events have arrived (rejects past `timeoutMs`). */
  async waitForEvents(count: number, timeoutMs = 10_000): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} events, got ${this.events.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.eventWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events.slice(0, count);
  }

  close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  private onFrame(frame: Frame): void {
    if (frame.action === 'event') {
      this.events.push(frame);
      const waiters = this.eventWaiters;
      this.eventWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const id = typeof frame['request_id'] === 'string' ? frame['request_id'] : '';
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    waiter?.(frame);
  }
}
