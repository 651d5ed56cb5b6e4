import { silentLogger } from '@legwork/common';
import { ConfigError } from './config.error';
import { createInfrastructure, infrastructureChecks, type Infrastructure } from './infrastructure';
import { runHealthChecks } from './health-checks';
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
  });
});
