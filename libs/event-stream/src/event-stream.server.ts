import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bus } from '@legwork/bus';
import type { EventLog } from '@legwork/call-state';
import type { Directory } from '@legwork/directory';
import { silentLogger, type Logger } from '@legwork/common';
import { CLOSE_CODES } from './blackhole.protocol';
import { EventFanOut, type FanOutObserver } from './event-fan-out';
import { WriteBatcher } from './write-batcher';
import { resolveEventStreamOptions, type EventStreamOptions, type EventStreamOptionsInput } from './event-stream.options';
import { StreamSession } from './stream-session';

export interface EventStreamDeps {
  bus: Bus;
  directory: Directory;
  /** The call store's event logs, which `since` resumes from. */
  events?: EventLog;
  logger?: Logger;
  options?: EventStreamOptionsInput;
  /** Told once each live event has been handed to its account's sockets (for latency figures). */
  onFanOut?: FanOutObserver;
}

/** Kazoo's blackhole protocol over WebSocket, served on an existing HTTP server's upgrade event. */
export class EventStreamServer {
  readonly options: EventStreamOptions;
  private readonly logger: Logger;
  private readonly wss: WebSocketServer;
  private readonly fanOut: EventFanOut;
  private readonly batcher = new WriteBatcher();
  private readonly sessions = new Map<WebSocket, StreamSession>();
  private readonly perIp = new Map<string, number>();
  private readonly servers = new Set<Server>();
  private readonly closes = new Map<number, number>();
  private readonly resumeCounts = { complete: 0, incomplete: 0, entries: 0 };
  private refused = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly deps: EventStreamDeps) {
    this.options = resolveEventStreamOptions(deps.options);
    this.logger = deps.logger ?? silentLogger;
    // No per-message deflate (also ws's default): each frame is encoded once and sent as is to every socket.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxPayloadBytes, perMessageDeflate: false });
    this.fanOut = new EventFanOut(deps.bus, this.options, this.logger, deps.onFanOut);
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** How many sockets the server closed itself, by close code (4008 slow consumer, 4001 credentials revoked…). */
  serverCloses(code: number): number {
    return this.closes.get(code) ?? 0;
  }

  /** Every close code the server has used so far, with its count (for metrics). */
  serverCloseCounts(): ReadonlyMap<number, number> {
    return this.closes;
  }

  /** Resumes served (`since`), by whether the log still held everything after the cursor, and log entries read for them. */
  get resumes(): Readonly<{ complete: number; incomplete: number; entries: number }> {
    return this.resumeCounts;
  }

  /** Sockets refused at upgrade for exceeding the per-IP limit. */
  get refusedConnections(): number {
    return this.refused;
  }

  attach(server: Server): void {
    server.on('upgrade', this.onUpgrade);
    this.servers.add(server);
    this.heartbeat ??= setInterval(() => this.beat(), this.options.heartbeatIntervalMs);
  }

  /** Stops accepting, closes every socket (1001) and deletes the instance's queue; later calls share the promise. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!this.options.paths.includes(path)) return refuse(socket, 404, 'Not Found');
    if (this.closing !== undefined) return refuse(socket, 503, 'Service Unavailable');
    const ip = req.socket.remoteAddress ?? 'unknown';
    const count = this.perIp.get(ip) ?? 0;
    if (count >= this.options.maxConnectionsPerIp) {
      this.refused++;
      this.logger.warn({ ip, limit: this.options.maxConnectionsPerIp }, 'event-stream connection limit reached');
      return refuse(socket, 429, 'Too Many Requests');
    }
    // Counted before the handshake completes so a burst cannot overshoot the limit.
    this.perIp.set(ip, count + 1);
    socket.once('close', () => this.release(ip));
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket));
  };

  private accept(ws: WebSocket, socket: Duplex): void {
    const onServerClose = (code: number): void => void this.closes.set(code, this.serverCloses(code) + 1);
    const onResume = (complete: boolean, entries: number): void => {
      this.resumeCounts[complete ? 'complete' : 'incomplete'] += 1;
      this.resumeCounts.entries += entries;
    };
    const session = new StreamSession(ws, socket, { fanOut: this.fanOut, batcher: this.batcher, directory: this.deps.directory, ...(this.deps.events !== undefined ? { events: this.deps.events } : {}), logger: this.logger, options: this.options, onServerClose, onResume });
    this.sessions.set(ws, session);
    ws.on('message', (data) => session.receive(data));
    ws.on('pong', () => {
      session.alive = true;
    });
    ws.on('error', (err) => this.logger.debug({ err }, 'event-stream socket error'));
    ws.on('close', () => {
      this.sessions.delete(ws);
      void session.dispose();
    });
  }

  private release(ip: string): void {
    const left = (this.perIp.get(ip) ?? 1) - 1;
    if (left <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, left);
  }

  private beat(): void {
    for (const [ws, session] of this.sessions) {
      if (!session.alive) {
        ws.terminate();
        continue;
      }
      session.alive = false;
      ws.ping();
    }
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const server of this.servers) server.off('upgrade', this.onUpgrade);
    const pending = [...this.sessions].map(([ws, session]) => {
      session.close(CLOSE_CODES.goingAway, 'server shutting down');
      // A peer that never answers the close handshake must not hold shutdown up.
      setTimeout(() => ws.terminate(), 1000).unref();
      return session.dispose();
    });
    await Promise.allSettled(pending);
    await this.fanOut.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
