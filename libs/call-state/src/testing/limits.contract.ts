import { type HarnessFactory, type StoreHarness, expectCode, uid } from './store-harness';

export function limitsContract(makeHarness: HarnessFactory): void {
  describe('limits', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    it('grants channels up to the limit, idempotently, and frees each exactly once', async () => {
      const { limits } = h.store;
      const [acct, node] = [uid('acct'), uid('node')];
      expect(await limits.acquire(acct, 'c1', node, 2)).toBe(true);
      expect(await limits.acquire(acct, 'c1', node, 2)).toBe(true);
      expect(await limits.acquire(acct, 'c2', node, 2)).toBe(true);
      expect(await limits.acquire(acct, 'c3', node, 2)).toBe(false);
      expect(await limits.inUse(acct)).toBe(2);
      expect(await limits.holders(acct)).toEqual([{ callId: 'c1', nodeId: node }, { callId: 'c2', nodeId: node }]);
      expect(await limits.release(acct, 'c1')).toBe(true);
      expect(await limits.release(acct, 'c1')).toBe(false);
      expect(await limits.inUse(acct)).toBe(1);
      expect(await limits.acquire(acct, 'c3', node, 2)).toBe(true);
      expect(await limits.acquire(uid('acct'), 'c1', node, 0)).toBe(false);
      await expectCode(limits.acquire(acct, 'c4', node, -1), 'invalid_input');
    });

    it('heals itself when the node holding channels stops heartbeating', async () => {
      const { limits, nodes } = h.store;
      const [acct, other, dying, healthy, unregistered] = [uid('acct'), uid('acct'), uid('node'), uid('node'), uid('node')];
      await nodes.heartbeat(dying, 60_000);
      await nodes.heartbeat(healthy, 60_000);
      expect(await limits.acquire(acct, 'd1', dying, 3)).toBe(true);
      expect(await limits.acquire(acct, 'd2', dying, 3)).toBe(true);
      expect(await limits.acquire(acct, 'u1', unregistered, 3)).toBe(true);
      expect(await limits.acquire(other, 'd3', dying, 5)).toBe(true);
      expect(await limits.acquire(acct, 'h1', healthy, 3)).toBe(false);

      await nodes.heartbeat(dying, 150);
      await h.advance(300);
      expect(await limits.acquire(acct, 'h1', healthy, 3)).toBe(true);
      // Never-registered nodes are not presumed dead.
      expect(await limits.holders(acct)).toEqual([{ callId: 'h1', nodeId: healthy }, { callId: 'u1', nodeId: unregistered }]);
      expect(await limits.inUse(other)).toBe(1);
      expect(await limits.reap(dying)).toBe(1);
      expect(await limits.inUse(other)).toBe(0);
      expect(await limits.reap(dying)).toBe(0);
      await nodes.forget(dying);
      await nodes.forget(healthy);
    });

    it('holds a channel along the ancestry or nowhere, and releases it everywhere', async () => {
      const { limits } = h.store;
      const [leaf, sibling, parent, node] = [uid('acct'), uid('acct'), uid('acct'), uid('node')];
      const along = (account: string, callId: string) => limits.acquireAlong([{ accountId: account, limit: 5 }, { accountId: parent, limit: 2 }], callId, node);
      expect(await along(leaf, 'c1')).toEqual({ granted: true });
      expect(await along(sibling, 'c2')).toEqual({ granted: true });
      expect(await along(leaf, 'c3')).toEqual({ granted: false, accountId: parent });
      // the refused call holds nothing, not even under its own account
      expect(await limits.holders(leaf)).toEqual([{ callId: 'c1', nodeId: node }]);
      expect(await limits.inUse(parent)).toBe(2);
      expect(await limits.releaseAlong([sibling, parent], 'c2')).toBe(true);
      expect(await limits.releaseAlong([sibling, parent], 'c2')).toBe(false);
      expect(await along(leaf, 'c3')).toEqual({ granted: true });
      expect([await limits.inUse(leaf), await limits.inUse(parent), await limits.inUse(sibling)]).toEqual([2, 2, 0]);
      expect(await limits.acquireAlong([{ accountId: leaf, limit: 2 }, { accountId: parent, limit: 9 }], 'c4', node)).toEqual({ granted: false, accountId: leaf });
      await expectCode(limits.acquireAlong([{ accountId: leaf, limit: 5 }, { accountId: parent, limit: -1 }], 'c5', node), 'invalid_input');
      expect(await limits.holders(leaf)).toEqual([{ callId: 'c1', nodeId: node }, { callId: 'c3', nodeId: node }]);
    });

    it('frees the ancestors of a dead node too, and draws request tokens along the chain', async () => {
      const { limits, nodes } = h.store;
      const [leaf, parent, dying] = [uid('acct'), uid('acct'), uid('node')];
      await nodes.heartbeat(dying, 60_000);
      expect(await limits.acquireAlong([{ accountId: leaf, limit: 5 }, { accountId: parent, limit: 5 }], 'x1', dying)).toEqual({ granted: true });
      expect(await limits.reap(dying)).toBe(2);
      expect(await limits.inUse(parent)).toBe(0);
      await nodes.forget(dying);

      const chain = (burst: number) => [{ accountId: leaf, burst, refillPerSecond: 0.001 }, { accountId: parent, burst: 2, refillPerSecond: 0.001 }];
      expect(await limits.bucketAlong(chain(5))).toEqual({ granted: true });
      expect(await limits.bucketAlong(chain(5))).toEqual({ granted: true });
      expect(await limits.bucketAlong(chain(5))).toEqual({ granted: false, accountId: parent });
      expect(await limits.bucketAlong([{ accountId: uid('acct'), burst: 0, refillPerSecond: 1 }, { accountId: parent, burst: 2, refillPerSecond: 0.001 }])).toMatchObject({ granted: false });
    });

    it('limits call attempts per second over a sliding window', async () => {
      const { limits } = h.store;
      const acct = uid('acct');
      expect(await limits.rate(acct, 3)).toBe(true);
      expect(await limits.rate(acct, 3)).toBe(true);
      expect(await limits.rate(acct, 3)).toBe(true);
      expect(await limits.rate(acct, 3)).toBe(false);
      expect(await limits.rate(uid('acct'), 3)).toBe(true);
      await h.advance(1050);
      expect(await limits.rate(acct, 3)).toBe(true);
      expect(await limits.rate(acct, 0)).toBe(false);
    });

    it('takes tokens from a bucket that refills at its rate and never exceeds its burst', async () => {
      const { limits } = h.store;
      const acct = uid('acct');
      for (let i = 0; i < 3; i += 1) expect(await limits.bucket(acct, 3, 10)).toBe(true);
      expect(await limits.bucket(acct, 3, 10)).toBe(false);
      expect(await limits.bucket(uid('acct'), 3, 10)).toBe(true);
      await h.advance(120);
      expect(await limits.bucket(acct, 3, 10)).toBe(true);
      expect(await limits.bucket(acct, 3, 10)).toBe(false);
      await h.advance(1000);
      for (let i = 0; i < 3; i += 1) expect(await limits.bucket(acct, 3, 10)).toBe(true);
      expect(await limits.bucket(acct, 3, 10)).toBe(false);
      expect(await limits.bucket(uid('acct'), 0, 1)).toBe(false);
      await expectCode(limits.bucket(acct, 3, 0), 'invalid_input');
    });
  });
}
