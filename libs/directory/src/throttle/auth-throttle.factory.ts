import type { RedisClient } from '@legwork/redis';
import { RateLimiterMemory, RateLimiterRedis, type IRateLimiterOptions } from 'rate-limiter-flexible';
import { DEFAULT_AUTH_THROTTLE, LimiterAuthThrottle, type AuthThrottle, type AuthThrottleHooks, type AuthThrottlePolicy } from './auth-throttle';

export interface AuthThrottleOptions extends AuthThrottleHooks {
  /** A Redis client shares the counts across nodes; without one they live in this process (embedded mode). */
  redis?: RedisClient;
  keyPrefix: string;
  policy?: Partial<AuthThrottlePolicy>;
}

export function createAuthThrottle(opts: AuthThrottleOptions): AuthThrottle {
  const policy = { ...DEFAULT_AUTH_THROTTLE, ...opts.policy };
  const limiter = (name: string, points: number, duration: number) => {
    const base: IRateLimiterOptions = { keyPrefix: `${opts.keyPrefix}auth-fail:${name}`, points, duration, blockDuration: policy.blockSeconds };
    return opts.redis === undefined ? new RateLimiterMemory(base) : new RateLimiterRedis({ ...base, storeClient: opts.redis, useRedisPackage: false });
  };
  return new LimiterAuthThrottle(
    limiter('src', policy.sourceFailures, policy.sourceWindowSeconds),
    limiter('user', policy.userFailures, policy.userWindowSeconds),
    policy,
    opts,
  );
}
