import { createServer as createNetServer, connect as netConnect, isIP, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SipStreamFramer, type SipFrame } from '../message/sip-stream-framer';
import type { ConnectionGuard } from './connection-guard';
import type { SipFlow } from './flow.registry';
import type { StreamContext, TlsMaterial } from './stream-context';
import { SipTransportError, toTransportError } from './transport.error';
import type { SipSource } from './transport.types';

export interface TcpTransportOptions {
  protocol: 'tcp' | 'tls';
  host: string;
  port: number;
  tls?: TlsMaterial;
}

/** SIP over TCP, or over TLS with the same code: framing by Content-Length, one flow per connection. */
export class TcpTransport {
  private server?: Server;

  constructor(
    private readonly options: TcpTransportOptions,
    private readonly context: StreamContext,
  ) {}

  private get protocol(): 'tcp' | 'tls' {
    return this.options.protocol;
  }

  async listen(): Promise<void> {
    const { connections } = this.context;
    const tls = this.options.tls;
    const server = this.protocol === 'tls' && tls !== undefined ? createTlsServer({ key: tls.key, cert: tls.cert, ...(tls.ca ? { ca: tls.ca } : {}) }) : createNetServer();
    // admitted when accepted, before any TLS handshake: a source cannot exceed its share by never finishing one
    server.on('connection', (raw: Socket) => {
      if (connections.accept(raw, this.protocol) === undefined || this.protocol === 'tls') return;
      const guard = connections.claim(raw);
      if (guard !== undefined) this.attach(raw, guard);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      const guard = connections.claim(socket);
      if (guard === undefined) socket.destroy();
      else this.attach(socket, guard);
    });
    // failed handshakes (scanners, wrong protocol) must not surface as unhandled errors
    server.on('tlsClientError', (err: Error) => this.context.logger.debug({ err }, 'TLS handshake failed'));
    server.on('error', (err) => this.context.logger.warn({ err, protocol: this.protocol }, 'SIP stream server error'));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  address(): { address: string; port: number } {
    const address = this.server?.address();
    if (address === undefined || address === null || typeof address === 'string') throw new SipTransportError('closed', `${this.protocol} transport is not listening`);
    return { address: address.address, port: address.port };
  }

  /** Opens a client connection and registers it as a flow once it is usable. */
  connect(host: string, port: number): Promise<SipFlow> {
    const slot = this.context.connections.reserveOutbound();
    if (slot === undefined) return Promise.reject(new SipTransportError('connect_failed', 'connection limit reached'));
    return new Promise((resolve, reject) => {
      const tls = this.options.tls;
      const socket: Socket =
        this.protocol === 'tls'
          ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...(tls?.ca ? { ca: tls.ca } : {}), rejectUnauthorized: tls?.rejectUnauthorized ?? true })
          : netConnect({ host, port });
      socket.once('close', slot.release);
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), this.context.connectTimeoutMs);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        reject(toTransportError(err, 'connect_failed', `${this.protocol} connect to ${host}:${port}`));
      };
      socket.once('error', fail);
      socket.once(this.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(this.attach(socket, this.context.connections.outboundGuard(socket, this.protocol, () => socket.destroy())));
      });
    });
  }

  private attach(socket: Socket, guard: ConnectionGuard): SipFlow {
    const { registry, logger, connections } = this.context;
    const framer = new SipStreamFramer(this.context.limits);
    const { flow, source } = registry.open(this.protocol, socket, {
      write: (data) => {
        guard.wrote();
        return writeSocket(socket, data, flow.id);
      },
      close: () => socket.destroy(),
    });
    connections.track(flow.id, guard);
    // stateless answers (400, pong) follow the peer's own input: they are no activity of ours
    const reply = (data: Buffer): void => void writeSocket(socket, data, flow.id).catch((err: unknown) => logger.debug({ err }, 'stream reply failed'));
    socket.setNoDelay(true);
    socket.on('error', (err) => logger.debug({ err, flowId: flow.id }, 'SIP connection error'));
    socket.on('close', () => {
      connections.forget(flow.id);
      registry.remove(flow.id);
    });
    // no socket timeout: bytes alone must not keep a connection (a trickle would); the guard's deadlines decide
    socket.on('data', (chunk: Buffer) => {
      try {
        this.onFrames(framer.push(chunk), socket, flow, source, reply, guard);
        if (!framer.closed) guard.pending(framer.buffered > 0);
      } catch (err) {
        logger.error({ err, flowId: flow.id }, 'unexpected failure on a SIP connection');
        socket.destroy();
      }
    });
    return flow;
  }

  private onFrames(frames: SipFrame[], socket: Socket, flow: SipFlow, source: SipSource, reply: (data: Buffer) => void, guard: ConnectionGuard): void {
    const { inbound, logger } = this.context;
    for (const frame of frames) {
      if (frame.type === 'message' || frame.type === 'invalid') guard.messageReceived();
      else if (frame.type === 'keepalive' || frame.type === 'pong') guard.keepalive();
      if (frame.type === 'message') inbound.deliver(frame.message, source);
      else if (frame.type === 'invalid') inbound.reject(frame.error, source, reply);
      else if (frame.type === 'keepalive') {
        inbound.stats.keepalives++;
        reply(Buffer.from('\r\n'));
      } else if (frame.type === 'error') {
        // framing is lost: nothing after this point can be trusted
        inbound.stats.framingErrors++;
        logger.debug({ reason: frame.error.reason, flowId: flow.id }, 'closing SIP connection after a framing error');
        socket.destroy();
      }
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const flow of this.context.registry.list(this.protocol)) flow.close();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function writeSocket(socket: Socket | TLSSocket, data: Buffer, flowId: string): Promise<void> {
  if (socket.destroyed || !socket.writable) return Promise.reject(new SipTransportError('flow_gone', 'connection is closed', { flowId }));
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(toTransportError(err, 'send_failed', 'stream write')) : resolve()));
  });
}
