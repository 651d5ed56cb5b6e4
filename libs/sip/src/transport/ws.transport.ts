import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { DEFAULT_SIP_LIMITS } from '../message/sip-parser';
import type { ConnectionGuard } from './connection-guard';
import type { SipFlow } from './flow.registry';
import { isKeepalive } from './inbound-processor';
import type { StreamContext, TlsMaterial } from './stream-context';
import { SipTransportError, toTransportError } from './transport.error';

export const SIP_SUBPROTOCOL = 'sip';

export interface WsTransportOptions {
  protocol: 'ws' | 'wss';
  host: string;
  port: number;
  path?: string;
  tls?: TlsMaterial;
}

/** RFC 7118 §4.1: the client must offer the "sip" subprotocol. */
function offersSip(req: IncomingMessage): boolean {
  const header = req.headers['sec-websocket-protocol'];
  return header !== undefined && header.split(',').some((p) => p.trim() === SIP_SUBPROTOCOL);
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** SIP over WebSocket (RFC 7118), WSS through an https server; one SIP message per WebSocket message. */
export class WsTransport {
  private server?: Server;
  private readonly wss: WebSocketServer;

  constructor(
    private readonly options: WsTransportOptions,
    private readonly context: StreamContext,
  ) {
    const maxPayload = context.limits.maxMessageSize ?? DEFAULT_SIP_LIMITS.maxMessageSize;
    this.wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, handleProtocols: () => SIP_SUBPROTOCOL });
  }

  private get protocol(): 'ws' | 'wss' {
    return this.options.protocol;
  }

  async listen(): Promise<void> {
    const tls = this.options.tls;
    const server = this.protocol === 'wss' && tls !== undefined ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createHttpServer();
    // admitted when accepted, before the HTTP (and TLS) handshake: a source cannot exceed its share by stalling one
    server.on('connection', (raw: Socket) => void this.context.connections.accept(raw, this.protocol));
    server.on('request', (_req, res) => res.writeHead(426, { Connection: 'close' }).end());
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    server.on('tlsClientError', (err: Error) => this.context.logger.debug({ err }, 'WSS handshake failed'));
    server.on('clientError', (_err, socket: Duplex) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0];
    if (this.options.path !== undefined && path !== this.options.path) return refuse(socket, '404 Not Found');
    if (!offersSip(req)) return refuse(socket, '400 Bad Request');
    const guard = this.context.connections.claim(req.socket);
    if (guard === undefined) return refuse(socket, '503 Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, req.socket, guard));
  }

  address(): { address: string; port: number } {
    const address = this.server?.address();
    if (address === undefined || address === null || typeof address === 'string') throw new SipTransportError('closed', `${this.protocol} transport is not listening`);
    return { address: address.address, port: address.port };
  }

  /** Client connection offering the "sip" subprotocol; refused when the server does not select it. */
  connect(host: string, port: number): Promise<SipFlow> {
    const slot = this.context.connections.reserveOutbound();
    if (slot === undefined) return Promise.reject(new SipTransportError('connect_failed', 'connection limit reached'));
    const tls = this.options.tls;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const ws = new WebSocket(`${this.protocol}://${hostPart}:${port}/`, SIP_SUBPROTOCOL, {
      handshakeTimeout: this.context.connectTimeoutMs,
      perMessageDeflate: false,
      maxPayload: this.context.limits.maxMessageSize ?? DEFAULT_SIP_LIMITS.maxMessageSize,
      ...(tls?.ca ? { ca: tls.ca } : {}),
      rejectUnauthorized: tls?.rejectUnauthorized ?? true,
    });
    let socket: Socket | undefined;
    ws.once('upgrade', (res: IncomingMessage) => (socket = res.socket));
    ws.once('close', slot.release);
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => reject(toTransportError(err, 'connect_failed', `${this.protocol} connect to ${host}:${port}`));
      ws.once('error', fail);
      ws.once('open', () => {
        ws.off('error', fail);
        if (ws.protocol !== SIP_SUBPROTOCOL || socket === undefined) {
          ws.terminate();
          reject(new SipTransportError('connect_failed', `${host}:${port} did not accept the sip subprotocol`));
          return;
        }
        resolve(this.attach(ws, socket, this.context.connections.outboundGuard(socket, this.protocol, () => ws.terminate())));
      });
    });
  }

  private attach(ws: WebSocket, socket: Socket, guard: ConnectionGuard): SipFlow {
    const { registry, inbound, logger, connections } = this.context;
    const { flow, source } = registry.open(this.protocol, socket, {
      write: (data) => {
        guard.wrote();
        return writeWs(ws, data, flow.id);
      },
      close: () => ws.terminate(),
    });
    connections.track(flow.id, guard);
    // stateless answers (400, pong) follow the peer's own input: they are no activity of ours
    const reply = (data: Buffer): void => void writeWs(ws, data, flow.id).catch((err: unknown) => logger.debug({ err }, 'WebSocket reply failed'));
    // bytes that arrive start the incomplete-message deadline; ws reads them after us and ends it with a message or a ping
    socket.prependListener('data', () => guard.pending(true));
    const settled = (): void => guard.pending(false);
    ws.on('ping', settled);
    ws.on('pong', settled);
    ws.on('error', (err) => logger.debug({ err, flowId: flow.id }, 'WebSocket error'));
    ws.on('close', () => {
      connections.forget(flow.id);
      registry.remove(flow.id);
    });
    ws.on('message', (data: RawData) => {
      const packet = toBuffer(data);
      if (isKeepalive(packet)) guard.keepalive();
      else guard.messageReceived();
      settled();
      inbound.handlePacket(packet, source, reply);
    });
    if (ws.readyState !== WebSocket.OPEN) {
      connections.forget(flow.id);
      registry.remove(flow.id);
    }
    return flow;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const flow of this.context.registry.list(this.protocol)) flow.close();
    this.wss.close();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function writeWs(ws: WebSocket, data: Buffer, flowId: string): Promise<void> {
  if (ws.readyState !== WebSocket.OPEN) return Promise.reject(new SipTransportError('flow_gone', 'WebSocket is closed', { flowId }));
  return new Promise((resolve, reject) => {
    // RFC 7118 §5.2: text frames for UTF-8 messages, binary frames otherwise
    ws.send(data, { binary: !isUtf8(data) }, (err) => (err ? reject(toTransportError(err, 'send_failed', 'WebSocket send')) : resolve()));
  });
}
