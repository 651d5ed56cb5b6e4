import type { NodeInfo, NodeRegistry } from '../call-store';
import { check } from '../call-store.validate';
import type { Clock } from '../clock';

interface Beat {
  info: Record<string, string>;
  expiresAt: number;
}

const DEFAULT_SWEEP_TTL_MS = 60_000;

export class MemoryNodeRegistry implements NodeRegistry {
  private readonly registry = new Set<string>();
  private readonly beats = new Map<string, Beat>();
  private readonly sweeps = new Map<string, { sweeperId: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async heartbeat(nodeId: string, ttlMs: number, info: Record<string, string> = {}): Promise<void> {
    check.id(nodeId, 'nodeId');
    this.beats.set(nodeId, { info: { ...info }, expiresAt: this.clock.now() + check.ttl(ttlMs) });
    this.registry.add(nodeId);
  }

  async isLive(nodeId: string): Promise<boolean> {
    return this.liveSync(check.id(nodeId, 'nodeId'));
  }

  async liveNodes(): Promise<NodeInfo[]> {
    return [...this.registry]
      .filter((nodeId) => this.liveSync(nodeId))
      .sort()
      .map((nodeId) => ({ nodeId, info: { ...(this.beats.get(nodeId)?.info ?? {}) } }));
  }

  async expiredNodes(): Promise<string[]> {
    return [...this.registry].filter((nodeId) => this.deadSync(nodeId)).sort();
  }

  async claimSweep(nodeId: string, sweeperId: string, ttlMs = DEFAULT_SWEEP_TTL_MS): Promise<boolean> {
    check.id(nodeId, 'nodeId');
    check.id(sweeperId, 'sweeperId');
    check.ttl(ttlMs);
    if (this.liveSync(nodeId)) return false;
    const now = this.clock.now();
    const current = this.sweeps.get(nodeId);
    if (current && current.expiresAt > now && current.sweeperId !== sweeperId) return false;
    this.sweeps.set(nodeId, { sweeperId, expiresAt: current?.sweeperId === sweeperId && current.expiresAt > now ? current.expiresAt : now + ttlMs });
    return true;
  }

  async forget(nodeId: string): Promise<void> {
    check.id(nodeId, 'nodeId');
    this.registry.delete(nodeId);
    this.beats.delete(nodeId);
    this.sweeps.delete(nodeId);
  }

  /** Registered once and no longer heartbeating: what limits treat as dead. */
  deadSync(nodeId: string): boolean {
    return this.registry.has(nodeId) && !this.liveSync(nodeId);
  }

  private liveSync(nodeId: string): boolean {
    const beat = this.beats.get(nodeId);
    return beat !== undefined && beat.expiresAt > this.clock.now();
  }
}
