import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedisClient, createRedisClient } from './redis-client.factory';
import { startRedisSentinel, type ScratchSentinel } from './testing/redis-sentinel';

/** Reads until the client answers `expected` (it reconnects by itself once the sentinels name a new primary). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await read().catch((err: unknown) => err);
    if (last === expected) return last as T;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`still ${String(last)} after ${timeoutMs} ms`);
}

describe('redis client on a Sentinel-managed primary (real primary, replica and three sentinels)', () => {
  let sentinel: ScratchSentinel;
  let client: Redis;
  const errors: string[] = [];
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    client = createRedisClient({ kind: 'single', url: sentinel.url }, { maxRetriesPerRequest: 2, autoPipelining: true }) as Redis;
    // As every store does: a connection error while the primary is away is reported to the command, not thrown.
    client.on('error', (err: Error) => errors.push(err.message));
  }, 60_000);
  afterAll(async () => {
    if (client !== undefined) await closeRedisClient(client);
    if (sentinel !== undefined) await sentinel.stop();
  });

  it('talks to the primary the sentinels name', async () => {
    const key = `probe:${randomBytes(4).toString('hex')}`;
    await client.set(key, 'one');
    expect(await client.get(key)).toBe('one');
    expect(errors).toEqual([]);
    const role = (await client.call('ROLE')) as unknown[];
    expect(role[0]).toBe('master');
    expect((await client.info('server')).includes(`tcp_port:${await sentinel.primaryPort()}`)).toBe(true);
  });

  it('follows a failover after the primary is SIGKILLed: replicated data is there, writes go on', async () => {
    const key = `kept:${randomBytes(4).toString('hex')}`;
    await client.set(key, 'before');
    // The write must have reached the replica before the kill, or the failover may rightly lose it.
    expect(await client.wait(1, 5_000)).toBe(1);
    const killed = await sentinel.killPrimary();
    const promoted = await sentinel.waitForNewPrimary(killed);
    expect(promoted).not.toBe(killed);
    expect(await eventually(() => client.get(key), 'before')).toBe('before');
    await eventually(() => client.set(`${key}:after`, 'after'), 'OK');
    expect(await client.get(`${key}:after`)).toBe('after');
    expect((await client.info('server')).includes(`tcp_port:${promoted}`)).toBe(true);
  }, 60_000);
});
