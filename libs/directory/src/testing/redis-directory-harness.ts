import { randomBytes } from 'node:crypto';
import { silentLogger } from '@legwork/common';
import { closeRedisClient, createRedisClient, type RedisClient, type RedisTarget, scanKeys } from '@legwork/redis';
import { createDirectory, type Directory } from '../directory';
import { RedisDirectoryStore } from '../store/redis-directory-store.driver';
import { type HarnessFactory, harnessKeys, TestClock } from './directory-harness';

/** Every key under the prefix with its value(s), whatever the type (on a Cluster, from every master). */
export async function dumpPrefix(redis: RedisClient, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of (await scanKeys(redis, `${prefix}*`)).sort()) {
    const type = await redis.type(key);
    out.push(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'hash') out.push(...Object.entries(await redis.hgetall(key)).flat());
    else if (type === 'set') out.push(...(await redis.smembers(key)));
    else out.push(`<${type}>`);
  }
  return out;
}

/** The directory contract's harness over a Redis or a Redis Cluster, under a prefix of its own. */
export function redisDirectoryFactory(target: () => RedisTarget): HarnessFactory {
  return async ({ tokenTtlSeconds, secretKeys }) => {
    const where = target();
    const prefix = `lwtest:${randomBytes(6).toString('hex')}:`;
    const clock = new TestClock();
    const connection = where.kind === 'single' ? { url: where.url } : { clusterNodes: where.nodes };
    const open = (keys: string) => createDirectory({ ...connection, prefix, tokenTtlSeconds, now: clock.now, secretKeys: keys });
    const directory = open(secretKeys);
    const raw = createRedisClient(where);
    const store = new RedisDirectoryStore(where, silentLogger);
    const reopened: Directory[] = [];
    return {
      directory,
      clock,
      store,
      keys: harnessKeys(prefix),
      reopen: (keys) => {
        const other = open(keys);
        reopened.push(other);
        return other;
      },
      dump: () => dumpPrefix(raw, prefix),
      dispose: async () => {
        await Promise.all(reopened.map((d) => d.close()));
        await store.close();
        await directory.close();
        for (const key of await scanKeys(raw, `${prefix}*`)) await raw.del(key);
        await closeRedisClient(raw);
      },
    };
  };
}
