import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { deleteMatching, mgetAcrossSlots, scanKeys } from './cluster-safe';
import { closeRedisClient, createRedisClient, isCluster } from './redis-client.factory';
import { startRedisCluster, type ScratchCluster } from './testing/redis-cluster';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('redis client on a real 3-master cluster', () => {
  let cluster: ScratchCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    const made = createRedisClient({ kind: 'cluster', nodes: cluster.nodes }, { maxRetriesPerRequest: 2 });
    if (!isCluster(made)) throw new Error('expected a Cluster for a cluster target');
    client = made;
  }, 60_000);
  afterAll(async () => {
    if (client !== undefined) await closeRedisClient(client);
    if (cluster !== undefined) await cluster.stop();
  });

  it('is an ioredis Cluster that sees three masters', async () => {
    expect(client).toBeInstanceOf(Cluster);
    await client.set('probe', '1');
    expect(client.nodes('master')).toHaveLength(3);
  });

  it('reads keys of many slots with one MGET per slot, in the order asked', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `mget:{k${i}}`);
    await Promise.all(keys.map((key, i) => (i % 3 === 0 ? Promise.resolve() : client.set(key, `v${i}`))));
    // A plain MGET over these keys is what the cluster refuses.
    await expect(client.mget(...keys)).rejects.toThrow(/CROSSSLOT/);
    const values = await mgetAcrossSlots(client, keys);
    expect(values).toEqual(keys.map((_, i) => (i % 3 === 0 ? null : `v${i}`)));
    expect(await mgetAcrossSlots(client, [])).toEqual([]);
  });

  it('sends each command on its own even when asked to auto-pipeline, so a moved slot is still followed', async () => {
    const asked = createRedisClient({ kind: 'cluster', nodes: cluster.nodes }, { maxRetriesPerRequest: 2, autoPipelining: true });
    try {
      await asked.set('ap:{warm}', '1');
      const keys = Array.from({ length: 20 }, (_, i) => `ap:{k${i}}`);
      const writes = keys.map((key, i) => asked.set(key, `v${i}`));
      expect(asked.autoPipelineQueueSize).toBe(0);
      await Promise.all(writes);
      expect(await mgetAcrossSlots(asked, keys)).toEqual(keys.map((_, i) => `v${i}`));
    } finally {
      await closeRedisClient(asked);
    }
  });

  it('scans every master, so keys on each of them are found and deleted', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `scan:{s${i}}`);
    await Promise.all(keys.map((key) => client.set(key, 'x')));
    const perMaster = await Promise.all(client.nodes('master').map((node) => node.dbsize()));
    expect(perMaster.every((n) => n > 0)).toBe(true);
    expect((await scanKeys(client, 'scan:*')).sort()).toEqual([...keys].sort());
    expect(await deleteMatching(client, 'scan:*')).toBe(30);
    expect(await scanKeys(client, 'scan:*')).toEqual([]);
  });
});

describe('redis client on an unreachable cluster', () => {
  it('fails queued commands after maxRetriesPerRequest reconnects, like a single Redis, and keeps trying', async () => {
    const client = createRedisClient({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }, { maxRetriesPerRequest: 2, connectTimeout: 1000 });
    client.on('error', () => undefined);
    try {
      await expect(client.ping()).rejects.toThrow(/no Redis Cluster node reachable/);
      await expect(client.get('later')).rejects.toThrow(/no Redis Cluster node reachable/);
      expect(client.status).not.toBe('end');
    } finally {
      await closeRedisClient(client);
    }
  });
});

describe('redis client on one Redis', () => {
  const prefix = `lwtest-redis-${randomBytes(6).toString('hex')}:`;
  const client = createRedisClient({ kind: 'single', url: REDIS_URL }, { lazyConnect: true });
  afterAll(async () => {
    await deleteMatching(client, `${prefix}*`);
    await closeRedisClient(client);
  });

  it('is a plain Redis: one MGET, one SCAN', async () => {
    expect(client).toBeInstanceOf(Redis);
    await client.set(`${prefix}{a}`, '1');
    await client.set(`${prefix}{b}`, '2');
    expect(await mgetAcrossSlots(client, [`${prefix}{b}`, `${prefix}{x}`, `${prefix}{a}`])).toEqual(['2', null, '1']);
    expect((await scanKeys(client, `${prefix}*`)).sort()).toEqual([`${prefix}{a}`, `${prefix}{b}`]);
  });

  it('auto-pipelines when asked: one turn of commands queues as one batch, each answered on its own', async () => {
    const piped = createRedisClient({ kind: 'single', url: REDIS_URL }, { autoPipelining: true });
    try {
      const writes = Array.from({ length: 20 }, (_, i) => piped.set(`${prefix}{p${i}}`, `v${i}`));
      expect(piped.autoPipelineQueueSize).toBe(20);
      expect(await Promise.all(writes)).toEqual(Array.from({ length: 20 }, () => 'OK'));
      expect(await client.get(`${prefix}{p7}`)).toBe('v7');
    } finally {
      await closeRedisClient(piped);
    }
  });

  it('closes a client that never connected without throwing', async () => {
    const idle = createRedisClient({ kind: 'single', url: 'redis://127.0.0.1:1' }, { lazyConnect: true });
    await expect(closeRedisClient(idle)).resolves.toBeUndefined();
    expect(idle.status).toBe('end');
  });
});
