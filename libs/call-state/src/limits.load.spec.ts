import type { CallStore } from './call-store';
import { createCallStore } from './call-store.factory';
import { ManualClock } from './clock';
import { REDIS_URL, deletePrefix } from './testing/redis-harness';
import { sleep, uid } from './testing/store-harness';

const ATTEMPTS = 500;
const LIMIT = 50;

/** 500 racing acquires against a limit of 50, then exact release and reap accounting. */
function channelLimitUnderLoad(makeStore: () => CallStore, letHeartbeatLapse: (ms: number) => Promise<void>): void {
  let store: CallStore;
  beforeEach(() => {
    store = makeStore();
  });
  afterEach(() => store.close());

  it('grants exactly the limit out of 500 concurrent acquires and frees exactly one per release', async () => {
    const acct = uid('acct');
    const node = uid('node');
    const callIds = Array.from({ length: ATTEMPTS }, (_, i) => `call-${i}`);
    const granted = await Promise.all(callIds.map((id) => store.limits.acquire(acct, id, node, LIMIT)));
    const winners = callIds.filter((_, i) => granted[i]);
    expect(winners).toHaveLength(LIMIT);
    expect(await store.limits.inUse(acct)).toBe(LIMIT);

    const released = winners.slice(0, 20);
    const firstReleases = await Promise.all(released.flatMap((id) => [store.limits.release(acct, id), store.limits.release(acct, id)]));
    expect(firstReleases.filter(Boolean)).toHaveLength(released.length);
    expect(await store.limits.inUse(acct)).toBe(LIMIT - released.length);

    const losers = callIds.filter((_, i) => !granted[i]);
    const second = await Promise.all(losers.slice(0, released.length + 10).map((id) => store.limits.acquire(acct, id, node, LIMIT)));
    expect(second.filter(Boolean)).toHaveLength(released.length);
    expect(await store.limits.inUse(acct)).toBe(LIMIT);
  });

  it("reaps exactly the holders of a node whose heartbeat lapsed", async () => {
    const acct = uid('acct');
    const [live, dying] = [uid('node'), uid('node')];
    await store.nodes.heartbeat(live, 60_000);
    await store.nodes.heartbeat(dying, 60_000);
    const nodeOf = (i: number): string => (i % 2 === 0 ? live : dying);
    const granted = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => store.limits.acquire(acct, `c-${i}`, nodeOf(i), LIMIT)));
    expect(granted.filter(Boolean)).toHaveLength(LIMIT);
    const onDying = (await store.limits.holders(acct)).filter((h) => h.nodeId === dying).length;
    // Its last heartbeat before going silent.
    await store.nodes.heartbeat(dying, 150);
    await letHeartbeatLapse(300);
    expect(await store.nodes.expiredNodes()).toContain(dying);
    expect(await store.limits.reap(dying)).toBe(onDying);
    expect(await store.limits.inUse(acct)).toBe(LIMIT - onDying);
    expect((await store.limits.holders(acct)).every((h) => h.nodeId === live)).toBe(true);
    await store.nodes.forget(live);
    await store.nodes.forget(dying);
  });
}

describe('channel limit under load: redis', () => {
  const prefix = `${uid('lwtest')}:`;
  afterAll(() => deletePrefix(prefix));
  channelLimitUnderLoad(() => createCallStore({ url: REDIS_URL, prefix }), sleep);
});

describe('channel limit under load: in-process', () => {
  const clock = new ManualClock();
  channelLimitUnderLoad(() => createCallStore({ clock }), async (ms) => clock.advance(ms));
});
