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

  it('hands back from every write script the record a fresh read decodes, text that JSON escapes included', async () => {
    const { store } = await harness.factory();
    try {
      const odd = 'quote " backslash \\ slash / tab \t new\nline é 🎉 \u0001';
      await store.calls.create({ callId: 'packed', accountId: 'acct-packed', nodeId: 'node-packed', leg: 'a', from: odd, cav: { note: odd, n: 12345678901234, list: [1, 'two'] }, dialect: { 'x-odd': odd } });
      const moved = await store.calls.transition('packed', 'ring');
      expect(moved).toEqual(await store.calls.get('packed'));
      expect(moved).toMatchObject({ state: 'ringing', from: odd, cav: { note: odd, n: 12345678901234, list: [1, 'two'] }, dialect: { 'x-odd': odd } });
      const updated = await store.calls.update('packed', { to: odd, cav: { note: null } });
      expect(updated).toEqual(await store.calls.get('packed'));
      expect(updated.to).toBe(odd);
      expect(updated.cav).toEqual({ n: 12345678901234, list: [1, 'two'] });
      const ended = await store.calls.end('packed', 'NORMAL_CLEARING');
      expect(ended).toEqual({ ended: true, record: await store.calls.get('packed') });
      expect(await store.calls.end('packed', 'NORMAL_CLEARING')).toEqual({ ended: false, record: ended.record });
    } finally {
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
