import { randomBytes } from 'node:crypto';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames, type Scratch } from '@legwork/platform/testing';
import { runAccountsCommand } from '../src/core/accounts.command';
import { bannerKey, startKazooApp, tokenFor } from './kazoo-app.harness';

/** Real RabbitMQ and Redis under a per-run prefix and namespace. */
function realInfra(scratch: Scratch): Infrastructure {
  return createInfrastructure({
    amqpUrl: AMQP_URL,
    redisUrl: REDIS_URL,
    appName: 'api-gateway',
    nodeId: `kazoo-boot-${randomBytes(3).toString('hex')}`,
    logger: createLogger('api-gateway-test', 'silent'),
    redisPrefix: scratch.redisPrefix,
    amqpNamespace: scratch.amqpNamespace,
    secretKeys: scratch.secretKeys,
  });
}

async function withInfra<T>(scratch: Scratch, run: (infra: Infrastructure) => Promise<T>): Promise<T> {
  const infra = realInfra(scratch);
  await infra.start();
  try {
    return await run(infra);
  } finally {
    await infra.close();
  }
}

describe('Kazoo bootstrap and CLI on real Redis and RabbitMQ', () => {
  let scratch: Scratch;
  beforeEach(() => {
    scratch = scratchNames('kazoo-boot');
  });
  afterEach(() => cleanupScratch(scratch));

  it('creates the master once, prints its key once, and keeps it across restarts', async () => {
    const first = await withInfra(scratch, async (infra) => {
      const app = await startKazooApp({ infra });
      try {
        expect(app.printed).toHaveLength(1);
        const key = bannerKey(app);
        await tokenFor(app, key);
        return { key, masterId: (await app.directory.accounts.getMaster())?.id };
      } finally {
        await app.close();
      }
    });
    await withInfra(scratch, async (infra) => {
      const app = await startKazooApp({ infra });
      try {
        expect(app.printed).toEqual([]);
        expect((await app.directory.accounts.getMaster())?.id).toBe(first.masterId);
        const res = await app.call('PUT', '/v2/api_auth', { body: { data: { api_key: first.key } } });
        expect(res.status).toBe(201);
        expect(res.body.data).toMatchObject({ account_id: first.masterId });
      } finally {
        await app.close();
      }
    });
  });

  it('pins LEGWORK_BOOTSTRAP_API_KEY to the master on first start and on restarts', async () => {
    const pinned = randomBytes(32).toString('hex');
    const env = { LEGWORK_BOOTSTRAP_API_KEY: pinned };
    await withInfra(scratch, async (infra) => {
      const app = await startKazooApp({ infra, env });
      try {
        expect(bannerKey(app)).toBe(pinned);
      } finally {
        await app.close();
      }
    });
    const later = randomBytes(32).toString('hex');
    await withInfra(scratch, async (infra) => {
      const app = await startKazooApp({ infra, env: { LEGWORK_BOOTSTRAP_API_KEY: later } });
      try {
        expect(app.printed).toEqual([]);
        expect(typeof (await tokenFor(app, later))).toBe('string');
        expect(typeof (await tokenFor(app, pinned))).toBe('string');
      } finally {
        await app.close();
      }
    });
  });

  it('creates an account with the CLI that then logs in through the gateway', async () => {
    await withInfra(scratch, async (infra) => {
      const app = await startKazooApp({ infra });
      try {
        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
        const env = { REDIS_URL, REDIS_PREFIX: scratch.redisPrefix, LEGWORK_SECRET_KEYS: scratch.secretKeys };
        expect(await runAccountsCommand(['accounts', 'create', '--name', 'Acme CLI'], env, io)).toBe(0);
        const printed = Object.fromEntries(out.join('').trim().split('\n').map((l) => l.split('=') as [string, string]));
        expect(printed['realm']).toBe('acme-cli.legwork.local');
        const account = await app.directory.accounts.get(printed['account_id'] ?? '');
        expect(account.parent_id).toBe((await app.directory.accounts.getMaster())?.id);

        const token = await tokenFor(app, printed['api_key'] ?? '');
        expect((await app.call('GET', `/v2/accounts/${account.id}`, { token })).status).toBe(200);

        expect(await runAccountsCommand(['accounts', 'create', '--name', 'Acme CLI'], env, io)).toBe(1);
        expect(err.join('')).toContain('name');
      } finally {
        await app.close();
      }
    });
  });

  it('refuses to create accounts without REDIS_URL and explains usage errors', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    expect(await runAccountsCommand(['accounts', 'create', '--name', 'X'], {}, io)).toBe(2);
    expect(err.join('')).toContain('REDIS_URL is not set');
    // An empty store has no master to put the account under.
    expect(await runAccountsCommand(['accounts', 'create', '--name', 'X'], { REDIS_URL, REDIS_PREFIX: scratch.redisPrefix }, io)).toBe(1);
    expect(err.join('')).toContain('no master account yet');
    expect(await runAccountsCommand(['accounts', 'delete'], { REDIS_URL }, io)).toBe(2);
    expect(await runAccountsCommand(['accounts', 'create', '--bogus'], { REDIS_URL }, io)).toBe(2);
    expect(err.join('')).toContain('usage: legwork accounts create');
  });
});
