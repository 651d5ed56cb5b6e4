import type { IdempotencyClaim, IdempotencyRepository, IdempotencyState } from '../call-store';
import { check } from '../call-store.validate';
import { rememberWith } from '../idempotency.remember';
import { LuaScript } from './lua-script';
import { type RedisContext, guard } from './redis-context';

const PENDING = JSON.stringify({ s: 'pending' });

/** KEYS[1]; ARGV pending marker, ttl ms. Returns the existing value, or nil after claiming. */
const claimKey = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`);

/** KEYS[1]; ARGV pending marker. Deletes only an unfinished claim. */
const abandonKey = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

export class RedisIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly ctx: RedisContext) {}

  async claim(scope: string, key: string, ttlMs: number): Promise<IdempotencyClaim> {
    const redisKey = this.key(scope, key);
    const ttl = check.ttl(ttlMs);
    return guard('idempotency.claim', async () => {
      const current = await claimKey.run(this.ctx.redis, [redisKey], [PENDING, ttl]);
      return typeof current === 'string' ? decode(current) : { status: 'claimed' };
    });
  }

  async complete(scope: string, key: string, answer: unknown): Promise<boolean> {
    const redisKey = this.key(scope, key);
    const value = JSON.stringify({ s: 'done', a: answer ?? null });
    return guard('idempotency.complete', async () => (await this.ctx.redis.set(redisKey, value, 'KEEPTTL', 'XX')) === 'OK');
  }

  async abandon(scope: string, key: string): Promise<void> {
    const redisKey = this.key(scope, key);
    return guard('idempotency.abandon', async () => {
      await abandonKey.run(this.ctx.redis, [redisKey], [PENDING]);
    });
  }

  async get(scope: string, key: string): Promise<IdempotencyState | null> {
    const redisKey = this.key(scope, key);
    return guard('idempotency.get', async () => {
      const current = await this.ctx.redis.get(redisKey);
      return current === null ? null : decode(current);
    });
  }

  async remember<T>(scope: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<{ answer: T; replayed: boolean }> {
    return rememberWith(this, scope, key, ttlMs, compute);
  }

  private key(scope: string, key: string): string {
    return this.ctx.keys.idempotency(check.id(scope, 'scope'), check.id(key, 'key'));
  }
}

function decode(raw: string): IdempotencyState {
  try {
    const value = JSON.parse(raw) as { s?: unknown; a?: unknown };
    if (value.s === 'done') return { status: 'done', answer: value.a ?? null };
  } catch {
    // An unreadable value is treated as still running rather than replayed.
  }
  return { status: 'in_progress' };
}
