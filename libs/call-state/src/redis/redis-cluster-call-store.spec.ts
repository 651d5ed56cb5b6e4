import { type RedisClient, closeRedisClient, createRedisClient, isCluster, scanKeys } from '@legwork/redis';
import { type ScratchCluster, startRedisCluster } from '@legwork/redis/testing';
import { createCallStore } from '../call-store.factory';
import { callStoreContract } from '../testing/call-store.contract';
import { clusterHarness } from '../testing/redis-harness';

/** The whole contract again, over a real three-master Redis Cluster: every script, MULTI and read must be accepted. */
describe('redis call store on a 3-master Redis Cluster', () => {
  let cluster: ScratchCluster | undefined;
  const harness = clusterHarness(() => {
    if (cluster === undefined) throw new Error('the cluster did not start');
    return cluster.nodes;
  });
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  callStoreContract(harness.factory);

  it('spread what the contract wrote over all three masters', async () => {
    const raw: RedisClient = createRedisClient({ kind: 'cluster', nodes: [...(cluster?.nodes ?? [])] });
    try {
      if (!isCluster(raw)) throw new Error('expected a Cluster');
      await raw.ping();
      const keys = await scanKeys(raw, `${harness.prefix}*`);
      expect(keys.length).toBeGreaterThan(20);
      const perMaster = await Promise.all(raw.nodes('master').map(async (node) => (await node.scan('0', 'MATCH', `${harness.prefix}*`, 'COUNT', 10_000))[1].length));
      expect(perMaster).toHaveLength(3);
      expect(perMaster.every((n) => n > 0)).toBe(true);
    } finally {
      await closeRedisClient(raw);
    }
  });
});

describe('call store cluster options', () => {
  it('reports a cluster with no reachable node as store_unavailable', async () => {
    const store = createCallStore({ clusterNodes: [{ host: '127.0.0.1', port: 1 }] });
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(store.calls.get('any')).rejects.toMatchObject({ code: 'store_unavailable' });
    await store.close();
  });

  it('refuses a URL and cluster nodes together, and an empty node list, as invalid_input', () => {
    expect(() => createCallStore({ url: 'redis://127.0.0.1:6379', clusterNodes: [{ host: '127.0.0.1', port: 7000 }] })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('not both') }),
    );
    expect(() => createCallStore({ clusterNodes: [] })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
