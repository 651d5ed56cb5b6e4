import { closeRedisClient, createRedisClient, mgetAcrossSlots, type RedisClient, type RedisTarget } from '@legwork/redis';
import type { Logger } from '@legwork/common';
import type { DirectoryStore } from './directory-store.driver';

// ARGV[1] = '1' when a current value is expected, ARGV[2] = expected, ARGV[3] = new value, ARGV[4] = ttl ms or ''.
const COMPARE_AND_SET = `
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if cur ~= ARGV[2] then return 0 end
elseif cur then return 0 end
if ARGV[4] ~= '' then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) else redis.call('SET', KEYS[1], ARGV[3]) end
return 1`;

const COMPARE_AND_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const HDEL_IF = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

interface ScriptCommands {
  lwDirCas(key: string, hasExpected: string, expected: string, value: string, ttl: string): Promise<number>;
  lwDirCad(key: string, expected: string): Promise<number>;
  lwDirHdelIf(key: string, field: string, expected: string): Promise<number>;
}

/** The directory store on Redis; conditional writes are single-key Lua scripts. */
export class RedisDirectoryStore implements DirectoryStore {
  /** Shared with what else the directory keeps in Redis (the auth throttle's counters). */
  readonly redis: RedisClient;
  private readonly scripts: ScriptCommands;

  constructor(target: RedisTarget, logger: Logger) {
    // the reads of many concurrent originates share a write
    this.redis = createRedisClient(target, { maxRetriesPerRequest: 3, autoPipelining: true });
    this.redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'directory redis error'));
    this.redis.defineCommand('lwDirCas', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    this.redis.defineCommand('lwDirCad', { numberOfKeys: 1, lua: COMPARE_AND_DELETE });
    this.redis.defineCommand('lwDirHdelIf', { numberOfKeys: 1, lua: HDEL_IF });
    this.scripts = this.redis as unknown as ScriptCommands;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await closeRedisClient(this.redis);
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  mget(keys: string[]): Promise<(string | null)[]> {
    // Documents of several accounts (children, accounts named alike) sit in several Cluster slots.
    return mgetAcrossSlots(this.redis, keys);
  }

  async compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = ttlMs === undefined ? '' : String(Math.max(1, Math.ceil(ttlMs)));
    const done = await this.scripts.lwDirCas(key, expected === null ? '0' : '1', expected ?? '', value, ttl);
    return done === 1;
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    return (await this.scripts.lwDirCad(key, expected)) === 1;
  }

  async del(keys: string[]): Promise<void> {
    // One DEL per key: keys of different accounts live in different cluster slots.
    await Promise.all(keys.map((k) => this.redis.del(k)));
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.redis.hget(key, field);
  }

  hgetall(key: string): Promise<Record<string, string>> {
    return this.redis.hgetall(key);
  }

  async hset(key: string, field: string, value: string): Promise<void> {
    await this.redis.hset(key, field, value);
  }

  async hsetnx(key: string, field: string, value: string): Promise<boolean> {
    return (await this.redis.hsetnx(key, field, value)) === 1;
  }

  async hincrby(key: string, field: string, by: number): Promise<number> {
    return this.redis.hincrby(key, field, by);
  }

  async hdelIf(key: string, field: string, expected: string): Promise<boolean> {
    return (await this.scripts.lwDirHdelIf(key, field, expected)) === 1;
  }

  async sadd(key: string, member: string): Promise<void> {
    await this.redis.sadd(key, member);
  }

  async srem(key: string, member: string): Promise<void> {
    await this.redis.srem(key, member);
  }

  smembers(key: string): Promise<string[]> {
    return this.redis.smembers(key);
  }

  async listPush(key: string, values: readonly string[], maxLength: number): Promise<void> {
    if (values.length === 0) return;
    await this.redis.multi().lpush(key, ...values).ltrim(key, 0, maxLength - 1).exec();
  }

  listRange(key: string, count: number): Promise<string[]> {
    return this.redis.lrange(key, 0, count - 1);
  }

  incr(key: string): Promise<number> {
    return this.redis.incr(key);
  }

  async incrWindow(key: string, windowMs: number): Promise<number> {
    const [[, count] = [null, 0]] = (await this.redis.multi().incr(key).pexpire(key, Math.max(1, Math.ceil(windowMs)), 'NX').exec()) ?? [];
    return Number(count);
  }
}
