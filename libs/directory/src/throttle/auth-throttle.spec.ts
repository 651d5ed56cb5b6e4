import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { authThrottleContract } from '../testing/auth-throttle.contract';
import { createAuthThrottle } from './auth-throttle.factory';
import { sourceKey } from './auth-throttle';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

authThrottleContract('memory', async (policy, hooks) => ({ throttle: createAuthThrottle({ keyPrefix: 'lw:', policy, ...hooks }), dispose: async () => undefined }));

authThrottleContract('redis', async (policy, hooks) => {
  const redis = new Redis(REDIS_URL);
  const keyPrefix = `lwtest:${randomBytes(6).toString('hex')}:`;
  return {
    throttle: createAuthThrottle({ keyPrefix, policy, redis, ...hooks }),
    dispose: async () => {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
});

describe('sourceKey', () => {
  it('keeps IPv4 as is, maps v4-mapped IPv6 to IPv4 and IPv6 to its /64', () => {
    expect(sourceKey('192.0.2.7')).toBe('192.0.2.7');
    expect(sourceKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(sourceKey('[2001:db8:0:1::5]')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('2001:DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
  });
});
