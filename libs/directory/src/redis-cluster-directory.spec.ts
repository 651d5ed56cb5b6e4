import { type ScratchCluster, startRedisCluster } from '@legwork/redis/testing';
import { createDirectory } from './directory';
import { directoryContract } from './testing/directory.contract';
import { account, CONTRACT_KEYS } from './testing/directory-harness';
import { redisDirectoryFactory } from './testing/redis-directory-harness';

/** The directory contract over a real three-master Redis Cluster, killed afterwards. */
describe('redis directory on a 3-master Redis Cluster', () => {
  let cluster: ScratchCluster | undefined;
  const nodes = () => {
    if (cluster === undefined) throw new Error('the cluster did not start');
    return cluster.nodes;
  };
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  directoryContract('redis cluster', redisDirectoryFactory(() => ({ kind: 'cluster', nodes: nodes() })));

  it('lists sub-accounts whose documents sit in many slots', async () => {
    const dir = createDirectory({ clusterNodes: nodes(), prefix: `lwtest-cluster-${Date.now()}:`, secretKeys: CONTRACT_KEYS.k0 });
    try {
      const parent = await account(dir);
      const children = await Promise.all(Array.from({ length: 12 }, () => account(dir, parent.id)));
      const listed = await dir.accounts.listChildren(parent.id);
      expect(listed.map((a) => a.id).sort()).toEqual(children.map((a) => a.id).sort());
    } finally {
      await dir.close();
    }
  });

  it('refuses a URL and cluster nodes together, naming the field', () => {
    expect(() => createDirectory({ url: 'redis://127.0.0.1:6379', clusterNodes: [{ host: '127.0.0.1', port: 7000 }] })).toThrow(
      expect.objectContaining({ code: 'invalid_document', violations: [expect.objectContaining({ field: 'clusterNodes' })] }),
    );
  });
});
