import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger, createInfrastructure, type Infrastructure } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames, type Scratch } from '@legwork/platform/testing';
import { runSecretsCommand } from '../src/secrets.command';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

function capture(): { io: { out: (l: string) => void; err: (l: string) => void }; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out: () => out.join(''), err: () => err.join('') };
}

function infraWith(scratch: Scratch, secretKeys: string): Infrastructure {
  return createInfrastructure({
    amqpUrl: AMQP_URL, redisUrl: REDIS_URL, appName: 'api-gateway', nodeId: `secrets-${randomBytes(3).toString('hex')}`,
    logger: createLogger('secrets-cli-test', 'silent'), redisPrefix: scratch.redisPrefix, amqpNamespace: scratch.amqpNamespace, secretKeys,
  });
}

describe('npm run legwork -- secrets', () => {
  let scratch: Scratch;
  beforeEach(() => {
    scratch = scratchNames('secrets-cli');
  });
  afterEach(() => cleanupScratch(scratch));

  it('keygen prints a KEY_ID:BASE64 entry the apps accept', async () => {
    const c = capture();
    expect(await runSecretsCommand(['secrets', 'keygen', '--id', 'k2'], {}, c.io)).toBe(0);
    expect(c.out()).toMatch(/^k2:[A-Za-z0-9+/]{43}=\n$/);
    expect(await runSecretsCommand(['secrets', 'keygen', '--id', 'no spaces'], {}, c.io)).toBe(2);
    expect(await runSecretsCommand(['secrets', 'burn'], {}, c.io)).toBe(2);
    expect(c.err()).toContain('usage: legwork secrets keygen');
    // The built CLI routes `secrets` here (npm test builds first).
    expect(execFileSync(process.execPath, [CLI, 'secrets', 'keygen'], { encoding: 'utf8' })).toMatch(/^k\d{8}:[A-Za-z0-9+/]{43}=\n$/);
  });

  it('rotate refuses to run without the store and the keys the apps use, naming what is missing', async () => {
    const c = capture();
    expect(await runSecretsCommand(['secrets', 'rotate'], {}, c.io)).toBe(2);
    expect(c.err()).toContain('REDIS_URL');
    expect(c.err()).toContain('LEGWORK_SECRET_KEYS');
    expect(await runSecretsCommand(['secrets', 'rotate'], { REDIS_URL, LEGWORK_SECRET_KEYS: 'k1:short' }, c.io)).toBe(2);
    expect(c.err()).toContain('entry 1: key must be base64 of exactly 32 random bytes');
  });

  it('rotate re-encrypts every trunk password and webhook secret under the new first key, after which the old key can go', async () => {
    const oldKeys = scratch.secretKeys;
    const newKey = `new${randomBytes(2).toString('hex')}:${randomBytes(32).toString('base64')}`;
    const before = infraWith(scratch, oldKeys);
    let ids: { account: string; resource: string; hook: string; secret: string };
    try {
      const acct = await before.directory.accounts.create({ name: `rot-${scratch.amqpNamespace}`, realm: `rot-${scratch.amqpNamespace}.legwork.test` });
      const res = await before.directory.resources.create(acct.id, { name: 'c', gateways: [{ server: 'sip.example.com', username: 'u', password: 'trunk-pw' }] });
      const hook = await before.directory.webhooks.create(acct.id, { name: 'h', uri: 'https://example.com/h', hook: 'all' });
      await before.directory.apiClients.create(acct.id, { name: 'crm', dialect: 'basix' });
      ids = { account: acct.id, resource: res.id, hook: hook.id, secret: hook.secret };
    } finally {
      await before.close();
    }

    const c = capture();
    const env = { REDIS_URL, REDIS_PREFIX: scratch.redisPrefix, LEGWORK_SECRET_KEYS: `${newKey},${oldKeys}` };
    expect(await runSecretsCommand(['secrets', 'rotate'], env, c.io)).toBe(0);
    expect(c.out()).toContain(`key=${newKey.split(':')[0]}\n`);
    expect(c.out()).toMatch(/^resealed=2$/m);
    expect(c.out()).toMatch(/^failed=0$/m);
    // an API client's secret is only re-keyed when it is presented: the report says the old key is still needed
    expect(c.out()).toMatch(/^api_clients_on_retired_keys=1$/m);
    expect(c.err()).toContain('1 API client(s) still authenticate through an older key');

    const raw = new Redis(REDIS_URL);
    try {
      const stored = await raw.get(`${scratch.redisPrefix}{acct:${ids.account}}:resource:${ids.resource}`);
      expect(stored).toContain(`enc:v1:${newKey.split(':')[0]}:`);
      expect(stored).not.toContain('trunk-pw');
    } finally {
      raw.disconnect();
    }
    const after = infraWith(scratch, newKey);
    try {
      expect((await after.directory.resources.get(ids.account, ids.resource)).gateways[0]?.password).toBe('trunk-pw');
      expect((await after.directory.webhooks.get(ids.account, ids.hook)).secret).toBe(ids.secret);
    } finally {
      await after.close();
    }
  });
});
