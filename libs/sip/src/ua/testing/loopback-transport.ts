import { parseNameAddr } from '../../message/name-addr';
import type { AnySipMessage, SipRequest, SipResponse } from '../../message/sip-message';
import { parseSipMessage } from '../../message/sip-parser';
import { serializeMessage } from '../../message/sip-serializer';
import { parseUri } from '../../message/sip-uri';
import { serializeVia } from '../../message/sip-via';
import type { InboundSipMessage, SentBy, SipProtocol, SipSource, SipTarget, SipTransportLayer } from '../../transport/transport.types';

export interface LoopbackPacket {
  seq: number;
  /** Date.now() when sent (jest fake timers make this exact). */
  at: number;
  from: string;
  to: string;
  message: AnySipMessage;
}

/** What happens to one packet: injected loss, duplication or delay (reordering). */
export type PacketFate = 'deliver' | 'drop' | 'duplicate' | { delayMs: number };

/** In-process network joining several LoopbackTransports; every packet goes through the real serializer and parser. */
export class LoopbackNetwork {
  readonly log: LoopbackPacket[] = [];
  fate: (packet: LoopbackPacket) => PacketFate = () => 'deliver';
  private readonly nodes = new Map<string, LoopbackTransport>();
  private nextPort = 5060;

  createTransport(options: { host?: string; port?: number; protocol?: SipProtocol } = {}): LoopbackTransport {
    const transport = new LoopbackTransport(this, options.host ?? '127.0.0.1', options.port ?? this.nextPort++, options.protocol ?? 'udp');
    this.nodes.set(transport.address, transport);
    return transport;
  }

  remove(address: string): void {
    this.nodes.delete(address);
  }

  /** Messages logged so far, filtered by a predicate. */
  packets(filter: (p: LoopbackPacket) => boolean = () => true): LoopbackPacket[] {
    return this.log.filter(filter);
  }

  transmit(from: LoopbackTransport, to: string, message: AnySipMessage): void {
    const packet: LoopbackPacket = { seq: this.log.length, at: Date.now(), from: from.address, to, message };
    this.log.push(packet);
    const raw = serializeMessage(message);
    const fate = this.fate(packet);
    if (fate === 'drop') return;
    const copies = fate === 'duplicate' ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const deliver = (): void => this.nodes.get(to)?.receive(raw, from);
      if (typeof fate === 'object') setTimeout(deliver, fate.delayMs);
      else queueMicrotask(deliver);
    }
  }
}

export class LoopbackTransport implements SipTransportLayer {
  private handler: (inbound: InboundSipMessage) => void = () => undefined;
  private closed = false;

  constructor(
    private readonly network: LoopbackNetwork,
    readonly host: string,
    readonly port: number,
    readonly protocol: SipProtocol,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  onMessage(handler: (inbound: InboundSipMessage) => void): void {
    this.handler = handler;
  }

  onFlowClosed(_handler: (flowId: string) => void): void {
    // loopback has no connections
  }

  receive(raw: Buffer, from: LoopbackTransport): void {
    if (this.closed) return;
    const parsed = parseSipMessage(raw);
    if (!parsed.ok) return;
    const message = parsed.value;
    const source: SipSource = { protocol: this.protocol, remoteAddress: from.host, remotePort: from.port, localAddress: this.host, localPort: this.port };
    if (message.kind === 'request') stampVia(message, source);
    this.handler({ message, source });
  }

  async send(message: AnySipMessage, target: SipTarget): Promise<void> {
    if (this.closed) throw new Error('transport closed');
    this.network.transmit(this, `${target.host}:${target.port}`, message);
  }

  async sendResponse(response: SipResponse, source: SipSource): Promise<void> {
    if (this.closed) throw new Error('transport closed');
    this.network.transmit(this, `${source.remoteAddress}:${source.remotePort}`, response);
  }

  async resolve(request: SipRequest, outboundProxy?: string): Promise<SipTarget> {
    const routes = request.getRoutes();
    const first = routes.ok && routes.value.length > 0 ? routes.value[0].uri : undefined;
    const uri = outboundProxy !== undefined ? parseNameAddr(outboundProxy).uri : (first ?? parseUri(request.uri));
    if (uri.kind !== 'sip') throw new Error(`cannot route to ${request.uri}`);
    return { protocol: this.protocol, host: uri.host, port: uri.port ?? 5060 };
  }

  sentBy(protocol: SipProtocol): SentBy {
    return { host: this.host, port: this.port, protocol };
  }

  isReliable(protocol: SipProtocol): boolean {
    return protocol !== 'udp';
  }

  listening(): Array<{ protocol: SipProtocol; address: string; port: number }> {
    return [{ protocol: this.protocol, address: this.host, port: this.port }];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.network.remove(this.address);
  }
}

/** RFC 3581 / §18.2.1: record where the request really came from in its top Via. */
function stampVia(request: SipRequest, source: SipSource): void {
  const via = request.via;
  const first = request.headers.list.find((h) => h.key === 'via');
  if (via === undefined || first === undefined) return;
  if (via.rport !== undefined) via.params.set('rport', String(source.remotePort));
  if (via.host !== source.remoteAddress) via.params.set('received', source.remoteAddress);
  const comma = first.value.indexOf(',');
  const value = serializeVia(via) + (comma === -1 ? '' : first.value.slice(comma));
  request.headers.list[request.headers.list.indexOf(first)] = { ...first, value };
  request.prime('via', via);
}
