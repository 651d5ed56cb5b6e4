import { Redis } from 'ioredis';
import type { RedisNode } from '@legwork/redis';
import { createCallStore } from '../call-store.factory';
import { systemClock } from '../clock';
import { type HarnessFactory, sleep, uid } from './store-harness';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis-backed harness under a prefix unique to this run; `cleanup` deletes only that prefix. */
export function redisHarness(endedTtlMs = 1000, autoPipelining = true, singleSlotScripts = false): { prefix: string; factory: HarnessFactory; cleanup(): Promise<number> } {
  const prefix = `${uid('lwtest')}:`;
  return {
    prefix,
    factory: async (opts) => ({
      store: createCallStore({ url: REDIS_URL, prefix, endedTtlMs, autoPipelining, singleSlotScripts, ...(opts?.eventLog !== undefined ? { eventLog: opts.eventLog } : {}) }),
      endedTtlMs,
      now: () => systemClock.now(),
      advance: (ms) => sleep(ms),
    }),
    cleanup: () => deletePrefix(prefix),
  };
}

export async function deletePrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    await redis.quit();
  }
}

/** A harness over a Redis Cluster whose seed nodes are known only once the suite started it. */
export function clusterHarness(nodes: () => readonly RedisNode[], endedTtlMs = 1000): { prefix: string; factory: HarnessFactory } {
  const prefix = `${uid('lwtest')}:`;
  return {
    prefix,
    factory: async (opts) => ({
      store: createCallStore({ clusterNodes: nodes(), prefix, endedTtlMs, ...(opts?.eventLog !== undefined ? { eventLog: opts.eventLog } : {}) }),
      endedTtlMs,
      now: () => systemClock.now(),
      advance: (ms) => sleep(ms),
    }),
  };
}
