import { createServer as createNetServer, connect as netConnect, isIP, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SipStreamFramer, type SipFrame } from '../message/sip-stream-framer';
import type { SipFlow } from './flow.registry';
import { atCapacity, type StreamContext, type TlsMaterial } from './stream-context';
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
    const onSocket = (socket: Socket): void => {
      if (atCapacity(this.context)) socket.destroy();
      else this.attach(socket);
    };
    const tls = this.options.tls;
    const server =
      this.protocol === 'tls' && tls !== undefined
        ? createTlsServer({ key: tls.key, cert: tls.cert, ...(tls.ca ? { ca: tls.ca } : {}) }, onSocket)
        : createNetServer(onSocket);
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
    if (atCapacity(this.context)) return Promise.reject(new SipTransportError('connect_failed', 'connection limit reached'));
    return new Promise((resolve, reject) => {
      const tls = this.options.tls;
      const socket: Socket =
        this.protocol === 'tls'
          ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...(tls?.ca ? { ca: tls.ca } : {}), rejectUnauthorized: tls?.rejectUnauthorized ?? true })
          : netConnect({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), this.context.connectTimeoutMs);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        reject(toTransportError(err, 'connect_failed', `${this.protocol} connect to ${host}:${port}`));
      };
      socket.once('error', fail);
      socket.once(this.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(this.attach(socket));
      });
    });
  }

  private attach(socket: Socket): SipFlow {
    const { registry, logger } = this.context;
    const framer = new SipStreamFramer(this.context.limits);
    const { flow, source } = registry.open(this.protocol, socket, {
      write: (data) => writeSocket(socket, data, flow.id),
      close: () => socket.destroy(),
    });
    const reply = (data: Buffer): void => void flow.write(data).catch((err: unknown) => logger.debug({ err }, 'stream reply failed'));
    socket.setNoDelay(true);
    socket.setTimeout(this.context.idleTimeoutMs, () => socket.destroy());
    socket.on('error', (err) => logger.debug({ err, flowId: flow.id }, 'SIP connection error'));
    socket.on('close', () => registry.remove(flow.id));
    socket.on('data', (chunk: Buffer) => {
      try {
        this.onFrames(framer.push(chunk), socket, flow, source, reply);
      } catch (err) {
        logger.error({ err, flowId: flow.id }, 'unexpected failure on a SIP connection');
        socket.destroy();
      }
    });
    return flow;
  }

  private onFrames(frames: SipFrame[], socket: Socket, flow: SipFlow, source: SipSource, reply: (data: Buffer) => void): void {
    const { inbound, logger } = this.context;
    for (const frame of frames) {
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
