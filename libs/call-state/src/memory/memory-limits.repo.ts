import type { BucketCap, ChainVerdict, ChannelCap, Holder, LimitRepository } from '../call-store';
import { acquireAlong, bucketAlong, releaseAlong } from '../limits.chain';
import { check } from '../call-store.validate';
import type { Clock } from '../clock';
import type { MemoryNodeRegistry } from './memory-nodes.registry';

const WINDOW_MS = 1000;

export class MemoryLimitRepository implements LimitRepository {
  /** account → (callId → nodeId) */
  private readonly channels = new Map<string, Map<string, string>>();
  private readonly attempts = new Map<string, number[]>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly nodes: MemoryNodeRegistry,
  ) {}

  async acquire(accountId: string, callId: string, nodeId: string, limit: number): Promise<boolean> {
    check.id(accountId, 'accountId');
    check.id(callId, 'callId');
    check.id(nodeId, 'nodeId');
    check.count(limit, 'limit');
    const holders = this.channels.get(accountId) ?? new Map<string, string>();
    if (holders.has(callId)) return true;
    if (holders.size >= limit) {
      for (const [held, node] of holders) if (this.nodes.deadSync(node)) holders.delete(held);
    }
    if (holders.size >= limit) return false;
    holders.set(callId, nodeId);
    this.channels.set(accountId, holders);
    return true;
  }

  async release(accountId: string, callId: string): Promise<boolean> {
    const holders = this.channels.get(check.id(accountId, 'accountId'));
    return holders?.delete(check.id(callId, 'callId')) ?? false;
  }

  async inUse(accountId: string): Promise<number> {
    return this.channels.get(check.id(accountId, 'accountId'))?.size ?? 0;
  }

  async holders(accountId: string): Promise<Holder[]> {
    const holders = this.channels.get(check.id(accountId, 'accountId')) ?? new Map<string, string>();
    return [...holders].map(([callId, nodeId]) => ({ callId, nodeId })).sort((a, b) => a.callId.localeCompare(b.callId));
  }

  async reap(nodeId: string): Promise<number> {
    check.id(nodeId, 'nodeId');
    let dropped = 0;
    for (const holders of this.channels.values()) {
      for (const [callId, node] of holders) {
        if (node === nodeId && holders.delete(callId)) dropped += 1;
      }
    }
    return dropped;
  }

  async rate(accountId: string, limitPerSecond: number): Promise<boolean> {
    check.id(accountId, 'accountId');
    check.count(limitPerSecond, 'limitPerSecond');
    const now = this.clock.now();
    const recent = (this.attempts.get(accountId) ?? []).filter((at) => at > now - WINDOW_MS);
    const allowed = recent.length < limitPerSecond;
    if (allowed) recent.push(now);
    this.attempts.set(accountId, recent);
    return allowed;
  }

  async bucket(accountId: string, burst: number, refillPerSecond: number): Promise<boolean> {
    check.id(accountId, 'accountId');
    check.count(burst, 'burst');
    check.rate(refillPerSecond, 'refillPerSecond');
    const now = this.clock.now();
    const last = this.buckets.get(accountId) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, last.tokens + (Math.max(0, now - last.at) * refillPerSecond) / 1000);
    const allowed = tokens >= 1;
    this.buckets.set(accountId, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  acquireAlong(chain: ChannelCap[], callId: string, nodeId: string): Promise<ChainVerdict> {
    return acquireAlong(this, chain, callId, nodeId);
  }

  releaseAlong(accountIds: string[], callId: string): Promise<boolean> {
    return releaseAlong(this, accountIds, callId);
  }

  bucketAlong(chain: BucketCap[]): Promise<ChainVerdict> {
    return bucketAlong(this, chain);
  }
}
