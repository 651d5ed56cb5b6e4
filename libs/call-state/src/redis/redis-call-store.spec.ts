import { Redis } from 'ioredis';
import { createCallStore } from '../call-store.factory';
import { callStoreContract } from '../testing/call-store.contract';
import { REDIS_URL, deletePrefix, redisHarness } from '../testing/redis-harness';
import { RedisCallStore } from './redis-call-store.driver';

describe('redis call store', () => {
  const harness = redisHarness();
  afterAll(async () => {
    await harness.cleanup();
    expect(await deletePrefix(harness.prefix)).toBe(0);
  });

  callStoreContract(harness.factory);

  it('is what createCallStore returns with a url, and lays keys out under its prefix with hash tags', async () => {
    const { store } = await harness.factory();
    expect(store).toBeInstanceOf(RedisCallStore);
    const raw = new Redis(REDIS_URL);
    try {
      await store.calls.create({ callId: 'layout', accountId: 'acct-layout', nodeId: 'node-layout', leg: 'a' });
      await store.limits.acquire('acct-layout', 'layout', 'node-layout', 1);
      const keys = await raw.keys(`${harness.prefix}*layout*`);
      expect(keys.sort()).toEqual(
        [
          `${harness.prefix}{call:layout}`,
          `${harness.prefix}{acct:acct-layout}:calls`,
          `${harness.prefix}{acct:acct-layout}:channels`,
          `${harness.prefix}{node:node-layout}:calls`,
          `${harness.prefix}{node:node-layout}:accounts`,
        ].sort(),
      );
      expect(await raw.hget(`${harness.prefix}{call:layout}`, 'state')).toBe('new');
    } finally {
      await raw.quit();
      await store.close();
    }
  });

  it('reports an unreachable Redis as store_unavailable', async () => {
    const store = createCallStore({ url: 'redis://127.0.0.1:1', prefix: harness.prefix });
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(store.calls.get('any')).rejects.toMatchObject({ code: 'store_unavailable' });
    await store.close();
  });
});
