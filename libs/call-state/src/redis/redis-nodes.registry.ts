import type { NodeInfo, NodeRegistry } from '../call-store';
import { check } from '../call-store.validate';
import { claimSweep } from './nodes.lua';
import { type RedisContext, execAll, guard } from './redis-context';

const DEFAULT_SWEEP_TTL_MS = 60_000;

/** `{node:id}:hb` carries a PX heartbeat; the registry set remembers nodes after their heartbeat lapses. */
export class RedisNodeRegistry implements NodeRegistry {
  constructor(private readonly ctx: RedisContext) {}

  async heartbeat(nodeId: string, ttlMs: number, info: Record<string, string> = {}): Promise<void> {
    const { redis, keys } = this.ctx;
    const chain = redis.multi().set(keys.nodeHeartbeat(check.id(nodeId, 'nodeId')), JSON.stringify(info), 'PX', check.ttl(ttlMs));
    return guard('nodes.heartbeat', async () => {
      await execAll(chain.sadd(keys.nodeRegistry(), nodeId));
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
      if (ids.length === 0) return [];
      const chain = redis.pipeline();
      for (const id of ids) chain.get(keys.nodeHeartbeat(id));
      const beats = await execAll(chain);
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
    const { redis, keys } = this.ctx;
    const chain = redis.pipeline();
    for (const id of nodeIds) chain.sismember(keys.nodeRegistry(), id).exists(keys.nodeHeartbeat(id));
    const replies = await execAll(chain);
    return nodeIds.filter((_, i) => replies[2 * i] === 1 && replies[2 * i + 1] === 0);
  }

  async claimSweep(nodeId: string, sweeperId: string, ttlMs = DEFAULT_SWEEP_TTL_MS): Promise<boolean> {
    const { keys } = this.ctx;
    const args = [check.id(sweeperId, 'sweeperId'), check.ttl(ttlMs)];
    const nodeKeys = [keys.nodeHeartbeat(check.id(nodeId, 'nodeId')), keys.nodeSweep(nodeId)];
    return guard('nodes.claimSweep', async () => (await claimSweep.run(this.ctx.redis, nodeKeys, args)) === 1);
  }

  async forget(nodeId: string): Promise<void> {
    const { redis, keys } = this.ctx;
    const chain = redis.multi().srem(keys.nodeRegistry(), check.id(nodeId, 'nodeId'));
    return guard('nodes.forget', async () => {
      await execAll(chain.del(keys.nodeHeartbeat(nodeId), keys.nodeSweep(nodeId)));
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
