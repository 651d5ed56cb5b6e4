import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Status to answer the n-th (1-based) request on a path. */
export type Behaviour = (n: number) => number;

/** A local HTTP subscriber: records every request and answers per path. */
export class HookReceiver {
  readonly requests = new Map<string, ReceivedRequest[]>();
  private readonly behaviours = new Map<string, Behaviour>();
  private server: Server | undefined;
  port = 0;

  async listen(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const list = this.requests.get(url.pathname) ?? [];
        list.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        this.requests.set(url.pathname, list);
        res.statusCode = (this.behaviours.get(url.pathname) ?? (() => 200))(list.length);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string, behaviour: Behaviour): void {
    this.behaviours.set(path, behaviour);
  }

  got(path: string): ReceivedRequest[] {
    return this.requests.get(path) ?? [];
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
