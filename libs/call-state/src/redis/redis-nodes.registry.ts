import type { NodeInfo, NodeRegistry } from '../call-store';
import { check } from '../call-store.validate';
import { claimSweep } from './nodes.lua';
import { type RedisContext, guard } from './redis-context';

const DEFAULT_SWEEP_TTL_MS = 60_000;

/** `{node:id}:hb` carries a PX heartbeat; the registry set remembers nodes after their heartbeat lapses. */
export class RedisNodeRegistry implements NodeRegistry {
  constructor(private readonly ctx: RedisContext) {}

  async heartbeat(nodeId: string, ttlMs: number, info: Record<string, string> = {}): Promise<void> {
    const { redis, keys } = this.ctx;
    const beatKey = keys.nodeHeartbeat(check.id(nodeId, 'nodeId'));
    const ttl = check.ttl(ttlMs);
    return guard('nodes.heartbeat', async () => {
      // Beat before registering: dying between leaves an unregistered beat, never a registered node without one (dead).
      await redis.set(beatKey, JSON.stringify(info), 'PX', ttl);
      await redis.sadd(keys.nodeRegistry(), nodeId);
    });
  }

  async isLive(nodeId: string): Promise<boolean> {
    const key = this.ctx.keys.nodeHeartbeat(check.id(nodeId, 'nodeId'));
    return guard('nodes.isLive', async () => (await this.ctx.redis.exists(key)) === 1);
  }

  async liveNodes(): Promise<NodeInfo[]> {
    return guard('nodes.live', async () => {
      const { redis, keys } = this.ctx;
      const ids = (await redis.smembers(keys.nodeRegistry())).sort();
      // One GET per node rather than a pipeline: heartbeats live in different Cluster slots.
      const beats = await Promise.all(ids.map((id) => redis.get(keys.nodeHeartbeat(id))));
      const live: NodeInfo[] = [];
      ids.forEach((nodeId, i) => {
        const beat = beats[i];
        if (typeof beat === 'string') live.push({ nodeId, info: parseInfo(beat) });
      });
      return live;
    });
  }

  async expiredNodes(): Promise<string[]> {
    return guard('nodes.expired', async () => {
      const { redis, keys } = this.ctx;
      const ids = (await redis.smembers(keys.nodeRegistry())).sort();
      return ids.length === 0 ? [] : this.dead(ids);
    });
  }

  /** Of these ids, the ones registered whose heartbeat is gone (never-registered ids are not dead). */
  async dead(nodeIds: string[]): Promise<string[]> {
    if (nodeIds.length === 0) return [];
    const { redis, keys } = this.ctx;
    const [registered, beating] = await Promise.all([
      redis.smismember(keys.nodeRegistry(), ...nodeIds),
      Promise.all(nodeIds.map((id) => redis.exists(keys.nodeHeartbeat(id)))),
    ]);
    return nodeIds.filter((_, i) => registered[i] === 1 && beating[i] === 0);
  }

  async claimSweep(nodeId: string, sweeperId: string, ttlMs = DEFAULT_SWEEP_TTL_MS): Promise<boolean> {
    const { keys } = this.ctx;
    const args = [check.id(sweeperId, 'sweeperId'), check.ttl(ttlMs)];
    const nodeKeys = [keys.nodeHeartbeat(check.id(nodeId, 'nodeId')), keys.nodeSweep(nodeId)];
    return guard('nodes.claimSweep', async () => (await claimSweep.run(this.ctx.redis, nodeKeys, args)) === 1);
  }

  async forget(nodeId: string): Promise<void> {
    const { redis, keys } = this.ctx;
    const id = check.id(nodeId, 'nodeId');
    return guard('nodes.forget', async () => {
      // Unregister first: dying between leaves beat and sweep keys that expire on their own, never a dead-looking node.
      await redis.srem(keys.nodeRegistry(), id);
      await redis.del(keys.nodeHeartbeat(id), keys.nodeSweep(id));
    });
  }
}

function parseInfo(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}
