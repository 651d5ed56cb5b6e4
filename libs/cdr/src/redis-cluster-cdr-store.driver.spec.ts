import { newId } from '@legwork/common';
import { type ScratchCluster, startRedisCluster } from '@legwork/redis/testing';
import { createCdrStore } from './cdr-store.factory';
import { describeCdrStoreContract } from './testing/cdr-store.contract';

/** The CDR contract over a real three-master Redis Cluster, killed afterwards. */
describe('redis cdr store on a 3-master Redis Cluster', () => {
  let cluster: ScratchCluster | undefined;
  const prefix = `lwtest-cdr-${newId().slice(0, 12)}:`;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  describeCdrStoreContract('redis cluster', async () => {
    if (cluster === undefined) throw new Error('the cluster did not start');
    // long enough that a loaded machine does not expire records between a put and the list that reads them
    const retentionMs = 1500;
    return {
      store: createCdrStore({ clusterNodes: cluster.nodes, prefix, retentionMs }),
      retentionMs,
      expire: () => new Promise((resolve) => setTimeout(resolve, retentionMs + 100)),
    };
  });

  it('refuses a URL and cluster nodes together as invalid_input', () => {
    expect(() => createCdrStore({ url: 'redis://127.0.0.1:6379', clusterNodes: [{ host: '127.0.0.1', port: 7000 }], retentionMs: 1000 })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('not both') }),
    );
  });
});
