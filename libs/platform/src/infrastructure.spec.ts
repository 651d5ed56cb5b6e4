import { silentLogger, type Logger } from '@legwork/common';
import { ConfigError } from './config.error';
import { createInfrastructure, infrastructureChecks, type Infrastructure } from './infrastructure';
import { runHealthChecks } from './health-checks';
import { type ScratchCluster, type ScratchSentinel, startRedisCluster, startRedisSentinel } from '@legwork/redis/testing';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames } from './testing/scratch-infra';

const base = { appName: 'platform-test', nodeId: 'node-1', logger: silentLogger };

describe('createInfrastructure', () => {
  it('is embedded, healthy and closes once when no URL is set', async () => {
    const infra = createInfrastructure(base);
    expect(infra.mode).toBe('embedded');
    await infra.start();
    expect(await runHealthChecks(infrastructureChecks(infra))).toEqual({
      status: 'ok',
      checks: { bus: 'ok', store: 'ok', directory: 'ok' },
    });
    const first = infra.close();
    expect(infra.close()).toBe(first);
    await first;
  });

  it.each([
    [{ amqpUrl: AMQP_URL }, 'REDIS_URL'],
    [{ redisUrl: REDIS_URL }, 'AMQP_URL'],
  ])('refuses half a distributed setup (%o)', (urls, missing) => {
    let caught: unknown;
    try {
      createInfrastructure({ ...base, ...urls });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const err = caught as ConfigError;
    expect(err.code).toBe('invalid_config');
    expect(err.issues[0].variable).toBe(missing);
    expect(err.message).toContain('distributed mode needs both');
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together, and names AMQP_URL when only a cluster is set', () => {
    const nodes = [{ host: '127.0.0.1', port: 7000 }];
    expect(() => createInfrastructure({ ...base, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, redisClusterNodes: nodes })).toThrow(
      expect.objectContaining({ issues: [{ variable: 'REDIS_CLUSTER_NODES', message: expect.stringContaining('together with REDIS_URL') }] }),
    );
    expect(() => createInfrastructure({ ...base, redisClusterNodes: nodes })).toThrow(
      expect.objectContaining({ issues: [{ variable: 'AMQP_URL', message: expect.stringContaining('because REDIS_CLUSTER_NODES is set') }] }),
    );
  });

  it('refuses distributed mode without LEGWORK_SECRET_KEYS, naming the variable', () => {
    let caught: unknown;
    try {
      createInfrastructure({ ...base, amqpUrl: AMQP_URL, redisUrl: REDIS_URL });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([{ variable: 'LEGWORK_SECRET_KEYS', message: expect.stringContaining('is required in distributed mode') }]);
  });

  it('embedded mode without keys makes an ephemeral key and logs that it did', async () => {
    const lines: string[] = [];
    const logger: Logger = { ...silentLogger, info: (_obj, msg) => void lines.push(String(msg)), warn: (_obj, msg) => void lines.push(String(msg)) };
    const infra = createInfrastructure({ ...base, logger });
    await infra.directory.ping();
    expect(lines).toContainEqual(expect.stringContaining('LEGWORK_SECRET_KEYS is not set: generated an ephemeral secret key'));
    await infra.close();
  });

  it('names a malformed key list', () => {
    expect(() => createInfrastructure({ ...base, secretKeys: 'k1:nope' })).toThrow(expect.objectContaining({ issues: [{ variable: 'LEGWORK_SECRET_KEYS', message: expect.stringContaining('entry 1') }] }));
  });

  describe('distributed', () => {
    const scratch = scratchNames('platform');
    let infra: Infrastructure | undefined;

    afterAll(async () => {
      await infra?.close();
      await cleanupScratch(scratch);
    });

    it('connects to the real broker and store and reports healthy', async () => {
      infra = createInfrastructure({ ...base, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, ...scratch });
      expect(infra.mode).toBe('distributed');
      await infra.start();
      expect(await runHealthChecks(infrastructureChecks(infra))).toEqual({
        status: 'ok',
        checks: { bus: 'ok', store: 'ok', directory: 'ok' },
      });
      await infra.close();
      const after = await runHealthChecks(infrastructureChecks(infra), 500);
      expect(after.status).toBe('error');
    });

    it('apps sharing the key read each other\'s secrets; an app with another key cannot', async () => {
      const writer = createInfrastructure({ ...base, nodeId: 'writer', amqpUrl: AMQP_URL, redisUrl: REDIS_URL, ...scratch });
      const reader = createInfrastructure({ ...base, nodeId: 'reader', amqpUrl: AMQP_URL, redisUrl: REDIS_URL, ...scratch });
      const stranger = createInfrastructure({ ...base, nodeId: 'stranger', amqpUrl: AMQP_URL, redisUrl: REDIS_URL, ...scratch, secretKeys: `other:${Buffer.alloc(32, 3).toString('base64')}` });
      try {
        const acct = await writer.directory.accounts.create({ name: `keys-${scratch.amqpNamespace}`, realm: `keys-${scratch.amqpNamespace}.legwork.test` });
        const res = await writer.directory.resources.create(acct.id, { name: 'c', gateways: [{ server: 'sip.example.com', username: 'u', password: 'shared-pw' }] });
        expect((await reader.directory.resources.get(acct.id, res.id)).gateways[0]?.password).toBe('shared-pw');
        await expect(stranger.directory.resources.get(acct.id, res.id)).rejects.toMatchObject({ code: 'secret_key_unknown' });
      } finally {
        await Promise.all([writer.close(), reader.close(), stranger.close()]);
      }
    });
  });

  describe('distributed on a Redis Cluster', () => {
    const scratch = scratchNames('platform-cluster');
    let cluster: ScratchCluster | undefined;
    beforeAll(async () => {
      cluster = await startRedisCluster(3);
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
      await cleanupScratch(scratch);
    });

    it('runs the call store and the directory on the cluster and reports healthy', async () => {
      const infra = createInfrastructure({ ...base, amqpUrl: AMQP_URL, redisClusterNodes: cluster?.nodes ?? [], ...scratch });
      try {
        await infra.start();
        expect(await runHealthChecks(infrastructureChecks(infra))).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
        const acct = await infra.directory.accounts.create({ name: `cl-${scratch.amqpNamespace}`, realm: `cl-${scratch.amqpNamespace}.legwork.test` });
        await infra.calls.calls.create({ callId: `call-${scratch.amqpNamespace}`, accountId: acct.id, nodeId: 'node-1', leg: 'a' });
        expect((await infra.calls.calls.listByAccount(acct.id)).map((c) => c.callId)).toEqual([`call-${scratch.amqpNamespace}`]);
      } finally {
        await infra.close();
      }
    });
  });

  describe('distributed on a Sentinel-managed Redis (primary, replica, three sentinels)', () => {
    const scratch = scratchNames('platform-sentinel');
    let sentinel: ScratchSentinel | undefined;
    beforeAll(async () => {
      sentinel = await startRedisSentinel();
    }, 60_000);
    afterAll(async () => {
      await sentinel?.stop();
      await cleanupScratch(scratch);
    });

    it('keeps the call store and the directory through a failover of the primary, without a restart', async () => {
      const infra = createInfrastructure({ ...base, amqpUrl: AMQP_URL, redisUrl: sentinel?.url ?? '', ...scratch });
      try {
        await infra.start();
        expect(await runHealthChecks(infrastructureChecks(infra))).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
        const acct = await infra.directory.accounts.create({ name: `se-${scratch.amqpNamespace}`, realm: `se-${scratch.amqpNamespace}.legwork.test` });
        await infra.calls.calls.create({ callId: `before-${scratch.amqpNamespace}`, accountId: acct.id, nodeId: 'node-1', leg: 'a' });
        // Only what reached the replica survives a SIGKILL; the test waits for that, as a careful operator would.
        expect(await sentinel?.waitForReplica()).toBe(1);
        const killed = (await sentinel?.killPrimary()) ?? 0;
        await sentinel?.waitForNewPrimary(killed);
        const deadline = Date.now() + 20_000;
        let health = await runHealthChecks(infrastructureChecks(infra));
        while (health.status !== 'ok' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          health = await runHealthChecks(infrastructureChecks(infra));
        }
        expect(health).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
        expect((await infra.directory.accounts.get(acct.id)).name).toBe(`se-${scratch.amqpNamespace}`);
        await infra.calls.calls.create({ callId: `after-${scratch.amqpNamespace}`, accountId: acct.id, nodeId: 'node-1', leg: 'a' });
        expect((await infra.calls.calls.listByAccount(acct.id)).map((c) => c.callId).sort()).toEqual([`after-${scratch.amqpNamespace}`, `before-${scratch.amqpNamespace}`]);
      } finally {
        await infra.close();
      }
    }, 60_000);
  });
});
