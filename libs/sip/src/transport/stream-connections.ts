import type { Logger } from '@legwork/common';
import type { Socket } from 'node:net';
import { ConnectionGuard, type ConnectionTimings, type GuardExpiry } from './connection-guard';
import type { TransportStats } from './inbound-processor';
import { normalizeAddress, sourceKey } from './net-address';

export interface ConnectionLimits extends ConnectionTimings {
  /** Stream sockets in all (in and out, handshakes included) beyond which new ones are refused. */
  maxConnections: number;
  /** Inbound stream sockets one source (IPv4 address, IPv6 /64) may hold, handshakes included. */
  maxConnectionsPerSource: number;
}

const EXPIRY_STAT = { first_message: 'closedNoFirstMessage', incomplete_message: 'closedIncompleteMessage', idle: 'closedIdle' } as const;

function remoteKey(socket: Socket): string {
  return `${socket.remoteAddress ?? ''}|${socket.remotePort ?? 0}`;
}

/** Logs the 1st, 10th, 100th ... refusal of a kind: a flood stays visible without flooding the log. */
function worthLogging(count: number): boolean {
  return Math.log10(count) % 1 === 0;
}

/**
 * Admission and deadlines of every stream connection of one transport layer (TCP, TLS, WS, WSS together).
 * A socket is counted from the moment it is accepted, before any TLS or WebSocket handshake, until it
 * closes; its guard follows it into the flow it becomes.
 */
export class StreamConnections {
  private readonly perSource = new Map<string, { open: number; refused: number }>();
  private readonly unclaimed = new Map<string, ConnectionGuard>();
  private readonly byFlow = new Map<string, ConnectionGuard>();
  private total = 0;
  private refusedAtCeiling = 0;

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly stats: TransportStats,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.total;
  }

  /** A freshly accepted socket: admitted with its guard, or refused (destroyed, counted, logged) as undefined. */
  accept(socket: Socket, protocol: string): ConnectionGuard | undefined {
    const remote = normalizeAddress(socket.remoteAddress);
    const source = sourceKey(remote);
    const entry = this.perSource.get(source) ?? { open: 0, refused: 0 };
    if (this.total >= this.limits.maxConnections) {
      this.refuse(socket);
      if (worthLogging(++this.refusedAtCeiling)) this.logger.warn({ protocol, remote, maxConnections: this.limits.maxConnections, refused: this.refusedAtCeiling }, 'SIP connection refused: connection limit reached');
      return undefined;
    }
    if (entry.open >= this.limits.maxConnectionsPerSource) {
      this.refuse(socket);
      this.stats.refusedPerSource++;
      entry.refused++;
      this.perSource.set(source, entry);
      if (worthLogging(entry.refused)) this.logger.warn({ protocol, remote, source, open: entry.open, refused: entry.refused, maxConnectionsPerSource: this.limits.maxConnectionsPerSource }, 'SIP connection refused: per-source limit reached');
      return undefined;
    }
    entry.open++;
    this.perSource.set(source, entry);
    this.total++;
    const key = remoteKey(socket);
    const guard = new ConnectionGuard(this.limits, true, (why) => this.expire(socket, why, protocol, remote));
    this.unclaimed.set(key, guard);
    socket.once('close', () => {
      guard.stop();
      if (this.unclaimed.get(key) === guard) this.unclaimed.delete(key);
      this.total--;
      // the entry goes with the source's last connection, so the map holds only live sources
      if (--entry.open === 0) this.perSource.delete(source);
    });
    return guard;
  }

  /** The guard of an accepted socket, once its TLS or WebSocket handshake produced the socket the flow uses. */
  claim(socket: Socket): ConnectionGuard | undefined {
    const key = remoteKey(socket);
    const guard = this.unclaimed.get(key);
    this.unclaimed.delete(key);
    return guard;
  }

  /** Room for one connection we open ourselves; release() it if the connect fails. */
  reserveOutbound(): { release: () => void } | undefined {
    if (this.total >= this.limits.maxConnections) {
      this.stats.refusedConnections++;
      if (worthLogging(++this.refusedAtCeiling)) this.logger.warn({ maxConnections: this.limits.maxConnections }, 'SIP connection not opened: connection limit reached');
      return undefined;
    }
    this.total++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
      },
    };
  }

  /** The guard of a connection we opened (no first-message deadline, the long idle limit). */
  outboundGuard(socket: Socket, protocol: string, close: () => void): ConnectionGuard {
    const remote = normalizeAddress(socket.remoteAddress);
    return new ConnectionGuard(this.limits, false, (why) => this.expire(socket, why, protocol, remote, close));
  }

  track(flowId: string, guard: ConnectionGuard): void {
    this.byFlow.set(flowId, guard);
  }

  forget(flowId: string): void {
    this.byFlow.get(flowId)?.stop();
    this.byFlow.delete(flowId);
  }

  /** Flows that carry a registration keep the long idle limit; others get the short one. Unknown flows are ignored. */
  markRegistered(flowId: string, registered: boolean): void {
    this.byFlow.get(flowId)?.setRegistered(registered);
  }

  /** The long idle limit for a flow until the returned release is called (a no-op for unknown flows). */
  hold(flowId: string): () => void {
    return this.byFlow.get(flowId)?.hold() ?? (() => undefined);
  }

  private refuse(socket: Socket): void {
    this.stats.refusedConnections++;
    socket.destroy();
  }

  private expire(socket: Socket, why: GuardExpiry, protocol: string, remote: string, close: () => void = () => socket.destroy()): void {
    this.stats[EXPIRY_STAT[why]]++;
    this.logger.debug({ protocol, remote, why }, 'closing SIP connection: deadline passed');
    close();
  }
}
