import { Redis } from 'ioredis';
import { CallStoreKeys } from '../call-store.keys';
import type { CallStore } from '../call-store';
import { REDIS_URL, redisHarness } from '../testing/redis-harness';
import { uid } from '../testing/store-harness';

/** Writes spanning slots are several steps; these plant what a writer dying between steps leaves behind. */
describe('redis call store after a writer died between steps', () => {
  const harness = redisHarness();
  const keys = new CallStoreKeys(harness.prefix);
  let raw: Redis;
  let store: CallStore;
  beforeAll(() => {
    raw = new Redis(REDIS_URL);
  });
  beforeEach(async () => {
    ({ store } = await harness.factory());
  });
  afterEach(() => store.close());
  afterAll(async () => {
    await raw.quit();
    await harness.cleanup();
  });

  it('create: ignores a young index entry without its record and prunes an old one', async () => {
    const [acct, node] = [uid('acct'), uid('node')];
    const live = await store.calls.create({ callId: uid('call'), accountId: acct, nodeId: node, leg: 'a' });
    const now = Date.now();
    await raw.zadd(keys.accountCalls(acct), now, 'in-flight', now - 60_000, 'debris');
    await raw.zadd(keys.nodeCalls(node), now - 60_000, 'debris');
    expect(await store.calls.countByAccount(acct)).toBe(1);
    expect((await store.calls.listByNode(node)).map((c) => c.callId)).toEqual([live.callId]);
    expect(await raw.zrange(keys.accountCalls(acct), '0', '-1')).toEqual(expect.arrayContaining([live.callId, 'in-flight']));
    expect(await raw.zscore(keys.accountCalls(acct), 'debris')).toBeNull();
    expect(await raw.zscore(keys.nodeCalls(node), 'debris')).toBeNull();
  });

  it('end: an ended record left in the indexes is neither listed nor counted, and a repeated end removes it', async () => {
    const call = await store.calls.create({ callId: uid('call'), accountId: uid('acct'), nodeId: uid('node'), leg: 'b' });
    await raw.hset(keys.call(call.callId), 'state', 'ended', 'endedAt', Date.now(), 'hangupCause', 'NORMAL_CLEARING');
    expect(await store.calls.countByNode(call.nodeId)).toBe(0);
    expect(await raw.zscore(keys.accountCalls(call.accountId), call.callId)).not.toBeNull();
    expect(await store.calls.end(call.callId, 'NORMAL_CLEARING')).toMatchObject({ ended: false, record: { state: 'ended' } });
    expect(await raw.zscore(keys.accountCalls(call.accountId), call.callId)).toBeNull();
    expect(await raw.zscore(keys.nodeCalls(call.nodeId), call.callId)).toBeNull();
  });

  it('heartbeat and forget: a beat without registration is live but never listed or presumed dead', async () => {
    const node = uid('node');
    await raw.set(keys.nodeHeartbeat(node), '{}', 'PX', 150);
    expect(await store.nodes.isLive(node)).toBe(true);
    expect((await store.nodes.liveNodes()).map((n) => n.nodeId)).not.toContain(node);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.nodes.expiredNodes()).not.toContain(node);
    const acct = uid('acct');
    expect(await store.limits.acquire(acct, 'c1', node, 1)).toBe(true);
    expect(await store.limits.acquire(acct, 'c2', uid('node'), 1)).toBe(false);
  });
});
