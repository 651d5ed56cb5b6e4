import type { RedisClient } from '@legwork/redis';

/** Where a job goes: straight to the receiver, into its hook's backlog, or nowhere (the backlog is full). */
export type BacklogVerdict = 'direct' | 'queued' | 'full';

export interface OutageState {
  since: number;
  nextAt: number;
  backoffMs: number;
}

// KEYS: state, backlog. ARGV: job, max length, now, first backoff, start ('1' opens an outage).
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[5] ~= '1' then return 0 end
  redis.call('HSET', KEYS[1], 'since', ARGV[3], 'next_at', ARGV[3] + ARGV[4], 'backoff', ARGV[4])
end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
return redis.call('RPUSH', KEYS[2], ARGV[1])`;
// Pops the delivered head; the last one closes the outage in the same step, so no job is appended after it.
const POP = `
redis.call('LPOP', KEYS[2])
local left = redis.call('LLEN', KEYS[2])
if left == 0 then redis.call('DEL', KEYS[1]) end
return left`;
// KEYS: state. ARGV: now, cap.
const BACK_OFF = `
local b = tonumber(redis.call('HGET', KEYS[1], 'backoff') or '0')
if b == 0 then return 0 end
b = math.min(b * 2, tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'backoff', b, 'next_at', ARGV[1] + b)
return b`;
// Closes the outage and sets its backlog aside (KEYS[3]) for the dead queue: later jobs go the ordinary way.
const CLOSE = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[3]) end
return redis.call('LLEN', KEYS[3])`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A hook's outage, shared by every worker on the Redis: its start, the next probe, and the FIFO backlog of its
 * jobs. A hook's keys share one hash tag, so each script stays on one slot of a Redis Cluster.
 */
export class HookOutageStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Appends the job when its hook is in an outage (or `start`s one), in arrival order. */
  async append(hookId: string, job: string, opts: { now: number; maxLength: number; firstBackoffMs: number; start: boolean }): Promise<BacklogVerdict> {
    const n = (await this.redis.eval(APPEND, 2, this.key(hookId, 'state'), this.key(hookId, 'backlog'), job, opts.maxLength, opts.now, opts.firstBackoffMs, opts.start ? '1' : '0')) as number;
    if (n === 0) return 'direct';
    if (n < 0) return 'full';
    if (opts.start) await this.redis.sadd(this.indexKey(), hookId);
    return 'queued';
  }

  async state(hookId: string): Promise<OutageState | undefined> {
    const h = await this.redis.hgetall(this.key(hookId, 'state'));
    if (h['since'] === undefined) return undefined;
    return { since: Number(h['since']), nextAt: Number(h['next_at']), backoffMs: Number(h['backoff']) };
  }

  /** Hooks in an outage (or lately so: a closed one leaves the index at the next probe). */
  hooks(): Promise<string[]> {
    return this.redis.smembers(this.indexKey());
  }

  /** Drops a hook from the index, unless an outage opened meanwhile (its append indexes it after opening it). */
  async forget(hookId: string): Promise<void> {
    await this.redis.srem(this.indexKey(), hookId);
    if ((await this.redis.exists(this.key(hookId, 'state'))) === 1) await this.redis.sadd(this.indexKey(), hookId);
  }

  async head(hookId: string): Promise<string | undefined> {
    return (await this.redis.lindex(this.key(hookId, 'backlog'), 0)) ?? undefined;
  }

  /** Drops the head once delivered (or handed on); returns the jobs left, 0 when the outage is over. */
  pop(hookId: string): Promise<number> {
    return this.redis.eval(POP, 2, this.key(hookId, 'state'), this.key(hookId, 'backlog')) as Promise<number>;
  }

  backOff(hookId: string, now: number, capMs: number): Promise<number> {
    return this.redis.eval(BACK_OFF, 1, this.key(hookId, 'state'), now, capMs) as Promise<number>;
  }

  /** Ends the outage; its backlog stays under the aside key until drained with asideHead/asidePop. */
  close(hookId: string): Promise<number> {
    return this.redis.eval(CLOSE, 3, this.key(hookId, 'state'), this.key(hookId, 'backlog'), this.key(hookId, 'aside')) as Promise<number>;
  }

  async asideHead(hookId: string): Promise<string | undefined> {
    return (await this.redis.lindex(this.key(hookId, 'aside'), 0)) ?? undefined;
  }

  async asidePop(hookId: string): Promise<void> {
    await this.redis.lpop(this.key(hookId, 'aside'));
  }

  /** One prober per hook across workers. */
  async lock(hookId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(hookId, 'lock'), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async extend(hookId: string, ttlMs: number): Promise<void> {
    await this.redis.pexpire(this.key(hookId, 'lock'), ttlMs);
  }

  async unlock(hookId: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(hookId, 'lock'), owner);
  }

  private key(hookId: string, part: string): string {
    return `${this.prefix}webhooks:outage:{${hookId}}:${part}`;
  }

  private indexKey(): string {
    return `${this.prefix}webhooks:outages`;
  }
}
