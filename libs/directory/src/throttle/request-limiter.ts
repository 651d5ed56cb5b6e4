import type { RedisClient } from '@legwork/redis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { sourceKey, type ThrottleVerdict } from './auth-throttle';

/** Requests per key (a source address) in a fixed window: for traffic that has no account to be charged to yet. */
export interface RequestLimiter {
  /** Counts one request; refused once the key used up its points in the window. */
  consume(source: string): Promise<ThrottleVerdict>;
}

export interface RequestLimiterOptions {
  /** Names the counter family in the key: `<prefix>rate:<name>:<source>`. */
  name: string;
  points: number;
  durationSeconds: number;
}

export function createRequestLimiter(opts: RequestLimiterOptions & { keyPrefix: string; redis?: RedisClient }): RequestLimiter {
  const base = { keyPrefix: `${opts.keyPrefix}rate:${opts.name}`, points: opts.points, duration: opts.durationSeconds };
  const limiter = opts.redis === undefined ? new RateLimiterMemory(base) : new RateLimiterRedis({ ...base, storeClient: opts.redis, useRedisPackage: false });
  return {
    async consume(source) {
      try {
        await limiter.consume(sourceKey(source));
        return { allowed: true };
      } catch (err) {
        // consume() rejects with a RateLimiterRes once over the limit; anything else is a store failure
        if (err instanceof RateLimiterRes) return { allowed: false, by: 'source', retryAfterMs: Math.max(1, err.msBeforeNext) };
        throw err;
      }
    },
  };
}
