import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '@legwork/common';
import type { InboundProcessor } from './inbound-processor';
import { SipTransportError, toTransportError } from './transport.error';
import type { SipSource } from './transport.types';

/** Largest UDP payload over IPv4. */
export const MAX_DATAGRAM = 65_507;

export interface UdpTransportOptions {
  host: string;
  port: number;
}

/** One bound UDP socket; each datagram is exactly one SIP message. */
export class UdpTransport {
  private socket?: Socket;

  constructor(
    private readonly options: UdpTransportOptions,
    private readonly inbound: InboundProcessor,
    private readonly logger: Logger,
  ) {}

  async listen(): Promise<void> {
    const socket = createSocket({ type: isIP(this.options.host) === 6 ? 'udp6' : 'udp4' });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // bursts of hundreds of calls/s: a larger kernel buffer means fewer silent drops
    try {
      socket.setRecvBufferSize(4 * 1024 * 1024);
    } catch {
      this.logger.debug('could not enlarge the UDP receive buffer');
    }
    socket.on('error', (err) => this.logger.warn({ err }, 'UDP socket error'));
    const { address, port } = socket.address();
    socket.on('message', (data, rinfo) => {
      const source: SipSource = { protocol: 'udp', remoteAddress: rinfo.address, remotePort: rinfo.port, localAddress: address, localPort: port };
      this.inbound.handlePacket(data, source, (reply) => {
        this.send(reply, rinfo.address, rinfo.port).catch((err: unknown) => this.logger.debug({ err }, 'UDP stateless reply failed'));
      });
    });
  }

  address(): { address: string; port: number } {
    if (this.socket === undefined) throw new SipTransportError('closed', 'UDP transport is not listening');
    const { address, port } = this.socket.address();
    return { address, port };
  }

  /**
   * RFC 3261 §18.1.1 wants requests within 200 bytes of the path MTU (~1300 bytes) moved to TCP;
   * we leave that choice to the target (transport=tcp) and send large datagrams as they are.
   */
  send(data: Buffer, host: string, port: number): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new SipTransportError('closed', 'UDP transport is closed'));
    if (data.length > MAX_DATAGRAM) return Promise.reject(new SipTransportError('too_large', `${data.length} bytes do not fit in a UDP datagram`));
    return new Promise((resolve, reject) => {
      const fail = (err: unknown): void => reject(toTransportError(err, 'send_failed', `UDP send to ${host}:${port}`));
      try {
        socket.send(data, port, host, (err) => (err ? fail(err) : resolve()));
      } catch (err) {
        fail(err);
      }
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
