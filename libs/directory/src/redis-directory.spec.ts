import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createDirectory } from './directory';
import { directoryContract } from './testing/directory.contract';
import { redisDirectoryFactory } from './testing/redis-directory-harness';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

directoryContract('redis', redisDirectoryFactory(() => ({ kind: 'single', url: REDIS_URL })));

describe('redis directory layout', () => {
  const prefix = `lwtest:${randomBytes(6).toString('hex')}:`;
  const dir = createDirectory({ url: REDIS_URL, prefix });
  const raw = new Redis(REDIS_URL);

  afterAll(async () => {
    await dir.close();
    for (const key of await scanKeys(raw, prefix)) await raw.del(key);
    await raw.quit();
  });

  it('keeps account documents under the account hash tag and lookups in global indexes', async () => {
    const acct = await dir.accounts.create({ name: 'layout', realm: 'layout.local' });
    const device = await dir.devices.create(acct.id, { name: 'd', sip: { username: 'layout1', password: 'p' } });
    const keys = await scanKeys(raw, prefix);
    const tagged = keys.filter((k) => k.includes(`{acct:${acct.id}}`));
    expect(tagged).toEqual(expect.arrayContaining([`${prefix}{acct:${acct.id}}:account`, `${prefix}{acct:${acct.id}}:device:${device.id}`]));
    expect(JSON.parse((await raw.get(`${prefix}{acct:${acct.id}}:device:${device.id}`)) ?? '{}')).toMatchObject({ id: device.id, sip: { username: 'layout1' } });
    expect(await raw.hget(`${prefix}idx:account:realm`, 'layout.local')).toBe(acct.id);
    expect(await raw.hget(`${prefix}idx:device:sip`, 'layout1@layout.local')).toBe(`${acct.id}/${device.id}`);
  });

  it('stores tokens with a Redis expiry', async () => {
    const acct = await dir.accounts.create({ name: 'ttl', realm: 'ttl.local' });
    await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
    const [tokenKey] = (await scanKeys(raw, `${prefix}token:`)) as [string];
    const ttl = await raw.pttl(tokenKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3600 * 1000);
  });
});
