import { silentLogger, type Logger } from '@legwork/common';
import { isIP } from 'node:net';
import type { AnySipMessage, SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/sip-serializer';
import { FlowRegistry, type SipFlow } from './flow.registry';
import { InboundProcessor, type TransportStats } from './inbound-processor';
import { resolveHost } from './net-address';
import type { StreamContext } from './stream-context';
import { StreamConnections } from './stream-connections';
import { resolveRequestTarget, responseDestination } from './target-resolver';
import { TcpTransport } from './tcp.transport';
import { parseTransportOptions, type TransportLayerConfig, type TransportLayerOptions } from './transport.config';
import { SipTransportError } from './transport.error';
import type { InboundSipMessage, SentBy, SipProtocol, SipSource, SipTarget, SipTransportLayer } from './transport.types';
import { UdpTransport } from './udp.transport';
import { WsTransport } from './ws.transport';

type StreamProtocol = Exclude<SipProtocol, 'udp'>;
type StreamTransport = TcpTransport | WsTransport;

/** The shared interface plus introspection for metrics and tests. */
export interface TransportLayer extends SipTransportLayer {
  stats(): TransportStats;
  /** Open stream connections (in and out). */
  flowCount(): number;
  /** Whether a flow carries a registration: such flows keep the long idle limit, others the short one. */
  markFlowRegistered(flowId: string, registered: boolean): void;
  /** For other users of a flow (a dialog pinned to it): the long idle limit until the returned release is called. */
  holdFlow(flowId: string): () => void;
}

class DefaultTransportLayer implements TransportLayer {
  private readonly registry = new FlowRegistry();
  private readonly inbound: InboundProcessor;
  private readonly connections: StreamConnections;
  private readonly streams = new Map<StreamProtocol, StreamTransport>();
  private readonly connecting = new Map<string, Promise<SipFlow>>();
  private readonly advertised = new Map<SipProtocol, string>();
  private readonly sentByKnown = new Map<SipProtocol, SentBy>();
  private udp?: UdpTransport;
  private closed = false;

  constructor(config: TransportLayerConfig, logger: Logger) {
    this.inbound = new InboundProcessor(config.limits ?? {}, logger);
    this.connections = new StreamConnections(config, this.inbound.stats, logger);
    const context: StreamContext = { registry: this.registry, inbound: this.inbound, logger, limits: config.limits ?? {}, connectTimeoutMs: config.connectTimeoutMs, connections: this.connections };
    if (config.udp) this.udp = new UdpTransport(config.udp, this.inbound, logger);
    if (config.tcp) this.streams.set('tcp', new TcpTransport({ protocol: 'tcp', ...config.tcp }, context));
    if (config.tls) this.streams.set('tls', new TcpTransport({ protocol: 'tls', ...config.tls, tls: config.tls }, context));
    if (config.ws) this.streams.set('ws', new WsTransport({ protocol: 'ws', ...config.ws }, context));
    if (config.wss) this.streams.set('wss', new WsTransport({ protocol: 'wss', ...config.wss, tls: config.wss }, context));
    for (const protocol of ['udp', 'tcp', 'tls', 'ws', 'wss'] as const) {
      const host = config[protocol]?.advertisedHost;
      if (host !== undefined) this.advertised.set(protocol, host);
    }
  }

  async start(): Promise<void> {
    try {
      await this.udp?.listen();
      for (const transport of this.streams.values()) await transport.listen();
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  onMessage(handler: (inbound: InboundSipMessage) => void): void {
    this.inbound.onMessage(handler);
  }

  onFlowClosed(handler: (flowId: string) => void): void {
    this.registry.onClosed(handler);
  }

  async send(message: AnySipMessage, target: SipTarget): Promise<void> {
    if (this.closed) throw new SipTransportError('closed', 'transport layer is closed');
    const data = serializeMessage(message);
    if (target.protocol === 'udp') return this.sendUdp(data, target.host, target.port);
    if (target.flowId !== undefined) {
      const flow = this.registry.get(target.flowId);
      if (flow === undefined) throw new SipTransportError('flow_gone', 'the requested flow is closed', { flowId: target.flowId });
      return flow.write(data);
    }
    return this.sendOverStream(data, target);
  }

  async sendResponse(response: SipResponse, source: SipSource): Promise<void> {
    if (this.closed) throw new SipTransportError('closed', 'transport layer is closed');
    const data = serializeMessage(response);
    const destination = responseDestination(response.via, source);
    if (source.protocol === 'udp') return this.sendUdp(data, destination.host, destination.port);
    const flow = source.flowId === undefined ? undefined : this.registry.get(source.flowId);
    if (flow !== undefined) {
      try {
        return await flow.write(data);
      } catch (err) {
        if (!(err instanceof SipTransportError && err.code === 'flow_gone')) throw err;
      }
    }
    // a WebSocket client cannot be dialled back: its Via sent-by is not an address (RFC 7118 §5)
    if (source.protocol === 'ws' || source.protocol === 'wss') throw new SipTransportError('flow_gone', 'the WebSocket connection of the request is closed', { flowId: source.flowId });
    return this.sendOverStream(data, destination);
  }

  resolve(request: SipRequest, outboundProxy?: string): Promise<SipTarget> {
    return resolveRequestTarget(request, outboundProxy);
  }

  /** Asked for every request sent: the bound address is read from its one socket once, not from every socket each time. */
  sentBy(protocol: SipProtocol): SentBy {
    const known = this.closed ? undefined : this.sentByKnown.get(protocol);
    if (known !== undefined) return { ...known };
    const transport = this.closed ? undefined : protocol === 'udp' ? this.udp : this.streams.get(protocol);
    if (transport === undefined) throw new SipTransportError('unsupported_protocol', `no ${protocol} transport is listening`);
    const bound = transport.address();
    const host = this.advertised.get(protocol) ?? bound.address;
    const sentBy: SentBy = { host: isIP(host) === 6 ? `[${host}]` : host, port: bound.port, protocol };
    this.sentByKnown.set(protocol, sentBy);
    return { ...sentBy };
  }

  isReliable(protocol: SipProtocol): boolean {
    return protocol !== 'udp';
  }

  listening(): Array<{ protocol: SipProtocol; address: string; port: number }> {
    if (this.closed) return [];
    const out: Array<{ protocol: SipProtocol; address: string; port: number }> = [];
    if (this.udp) out.push({ protocol: 'udp', ...this.udp.address() });
    for (const [protocol, transport] of this.streams) out.push({ protocol, ...transport.address() });
    return out;
  }

  stats(): TransportStats {
    return { ...this.inbound.stats };
  }

  flowCount(): number {
    return this.registry.size;
  }

  markFlowRegistered(flowId: string, registered: boolean): void {
    this.connections.markRegistered(flowId, registered);
  }

  holdFlow(flowId: string): () => void {
    return this.connections.hold(flowId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sentByKnown.clear();
    await Promise.all([this.udp?.close(), ...[...this.streams.values()].map((transport) => transport.close())]);
  }

  private async sendUdp(data: Buffer, host: string, port: number): Promise<void> {
    if (this.udp === undefined) throw new SipTransportError('unsupported_protocol', 'no udp transport is configured');
    return this.udp.send(data, await resolveHost(host), port);
  }

  /** Connection reuse: an open flow to the same address, else one shared connect attempt. */
  private async sendOverStream(data: Buffer, target: SipTarget): Promise<void> {
    const protocol = target.protocol as StreamProtocol;
    const host = await resolveHost(target.host);
    const existing = this.registry.findByRemote(protocol, host, target.port);
    if (existing !== undefined) {
      try {
        return await existing.write(data);
      } catch (err) {
        // the reused connection died under us: one fresh connection is still worth a try
        if (!(err instanceof SipTransportError && err.code === 'flow_gone')) throw err;
      }
    }
    const flow = await this.connect(protocol, host, target.port);
    return flow.write(data);
  }

  private connect(protocol: StreamProtocol, host: string, port: number): Promise<SipFlow> {
    const transport = this.streams.get(protocol);
    if (transport === undefined) return Promise.reject(new SipTransportError('unsupported_protocol', `no ${protocol} transport is configured`));
    const key = `${protocol}|${host}|${port}`;
    const pending = this.connecting.get(key);
    if (pending !== undefined) return pending;
    const attempt = transport.connect(host, port).finally(() => this.connecting.delete(key));
    this.connecting.set(key, attempt);
    return attempt;
  }
}

/** Binds every configured transport; rejects with SipTransportError('bad_config') on invalid options. */
export async function createTransportLayer(options: TransportLayerOptions): Promise<TransportLayer> {
  const config = parseTransportOptions(options);
  const layer = new DefaultTransportLayer(config, options.logger ?? silentLogger);
  await layer.start();
  return layer;
}
