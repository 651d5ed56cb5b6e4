import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { normalizeAddress } from './net-address';
import type { SipProtocol, SipSource } from './transport.types';

/** One live stream connection (TCP, TLS, WS or WSS), addressed by its unguessable token. */
export interface SipFlow {
  readonly id: string;
  readonly protocol: SipProtocol;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  write(data: Buffer): Promise<void>;
  close(): void;
}

function remoteKey(protocol: SipProtocol, host: string, port: number): string {
  return `${protocol}|${host.toLowerCase()}|${port}`;
}

/** Flow token → connection, plus remote address → connection for connection reuse; both O(1). */
export class FlowRegistry {
  private readonly flows = new Map<string, SipFlow>();
  private readonly byRemote = new Map<string, string>();
  private readonly closedHandlers: Array<(flowId: string) => void> = [];

  /** 128 random bits: a flow token must not be guessable by other peers (RFC 5626 §5.2). */
  newId(): string {
    return randomBytes(16).toString('base64url');
  }

  get size(): number {
    return this.flows.size;
  }

  add(flow: SipFlow): void {
    this.flows.set(flow.id, flow);
    this.byRemote.set(remoteKey(flow.protocol, flow.remoteAddress, flow.remotePort), flow.id);
  }

  /** Registers a freshly accepted or dialled connection and returns its flow and the SipSource its messages carry. */
  open(protocol: SipProtocol, socket: Socket, io: Pick<SipFlow, 'write' | 'close'>): { flow: SipFlow; source: SipSource } {
    const flow: SipFlow = {
      id: this.newId(),
      protocol,
      remoteAddress: normalizeAddress(socket.remoteAddress),
      remotePort: socket.remotePort ?? 0,
      localAddress: normalizeAddress(socket.localAddress),
      localPort: socket.localPort ?? 0,
      write: io.write,
      close: io.close,
    };
    const { id, remoteAddress, remotePort, localAddress, localPort } = flow;
    this.add(flow);
    return { flow, source: { protocol, remoteAddress, remotePort, localAddress, localPort, flowId: id } };
  }

  get(flowId: string): SipFlow | undefined {
    return this.flows.get(flowId);
  }

  findByRemote(protocol: SipProtocol, host: string, port: number): SipFlow | undefined {
    const id = this.byRemote.get(remoteKey(protocol, host, port));
    return id === undefined ? undefined : this.flows.get(id);
  }

  /** Forgets the flow and tells the listeners; a second call for the same flow does nothing. */
  remove(flowId: string): void {
    const flow = this.flows.get(flowId);
    if (flow === undefined) return;
    this.flows.delete(flowId);
    const key = remoteKey(flow.protocol, flow.remoteAddress, flow.remotePort);
    if (this.byRemote.get(key) === flowId) this.byRemote.delete(key);
    for (const handler of this.closedHandlers) handler(flowId);
  }

  onClosed(handler: (flowId: string) => void): void {
    this.closedHandlers.push(handler);
  }

  list(protocol?: SipProtocol): SipFlow[] {
    const all = [...this.flows.values()];
    return protocol === undefined ? all : all.filter((flow) => flow.protocol === protocol);
  }
}
