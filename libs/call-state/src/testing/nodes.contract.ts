import { type HarnessFactory, type StoreHarness, uid } from './store-harness';

export function nodesContract(makeHarness: HarnessFactory): void {
  describe('nodes', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    it('lists heartbeating nodes and reports the ones whose heartbeat lapsed', async () => {
      const { nodes } = h.store;
      const [steady, flaky] = [uid('node'), uid('node')];
      await nodes.heartbeat(steady, 60_000, { sip: '10.0.0.1:5060' });
      await nodes.heartbeat(flaky, 60_000);
      expect(await nodes.isLive(flaky)).toBe(true);
      const live = await nodes.liveNodes();
      expect(live).toEqual(expect.arrayContaining([{ nodeId: steady, info: { sip: '10.0.0.1:5060' } }, { nodeId: flaky, info: {} }]));
      expect(await nodes.expiredNodes()).not.toContain(flaky);

      await nodes.heartbeat(flaky, 150);
      await h.advance(300);
      expect(await nodes.isLive(flaky)).toBe(false);
      expect(await nodes.expiredNodes()).toContain(flaky);
      expect(await nodes.expiredNodes()).not.toContain(steady);
      expect((await nodes.liveNodes()).map((n) => n.nodeId)).not.toContain(flaky);

      await nodes.heartbeat(flaky, 60_000);
      expect(await nodes.expiredNodes()).not.toContain(flaky);
      await nodes.forget(flaky);
      await nodes.forget(steady);
      expect((await nodes.liveNodes()).map((n) => n.nodeId)).not.toContain(steady);
      expect(await nodes.isLive(steady)).toBe(false);
    });

    it('hands a dead node to exactly one sweeper', async () => {
      const { nodes } = h.store;
      const node = uid('node');
      await nodes.heartbeat(node, 60_000);
      expect(await nodes.claimSweep(node, 'sweeper-0')).toBe(false);
      await nodes.heartbeat(node, 150);
      await h.advance(300);
      const sweepers = Array.from({ length: 8 }, (_, i) => `sweeper-${i}`);
      const claims = await Promise.all(sweepers.map((s) => nodes.claimSweep(node, s)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = sweepers[claims.indexOf(true)];
      expect(await nodes.claimSweep(node, winner)).toBe(true);
      expect(await nodes.claimSweep(node, sweepers.find((s) => s !== winner) ?? 'other')).toBe(false);
      await nodes.forget(node);
      expect(await nodes.expiredNodes()).not.toContain(node);
    });
  });
}
