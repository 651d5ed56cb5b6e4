import { parseSentinelUrl } from './redis-sentinel-url';
import { describeRedisTarget, redisTargetOf, redisUrlSchema } from './redis-target';

describe('redis-sentinel:// URLs', () => {
  it('reads the sentinels, the primary name, the credentials and the db', () => {
    expect(parseSentinelUrl('redis-sentinel://10.0.0.1:26379,s-b:26380,[::1]:26381/lwprimary')).toEqual({
      target: { sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: 's-b', port: 26380 }, { host: '::1', port: 26381 }], name: 'lwprimary', db: 0 },
    });
    expect(parseSentinelUrl('redis-sentinel://app:p%40ss@s:26379/main/3')).toEqual({
      target: { sentinels: [{ host: 's', port: 26379 }], name: 'main', db: 3, username: 'app', password: 'p@ss' },
    });
    expect(parseSentinelUrl('redis-sentinel://:pw@s:26379/main')).toEqual({ target: { sentinels: [{ host: 's', port: 26379 }], name: 'main', db: 0, password: 'pw' } });
  });

  it.each([
    ['redis-sentinel://s:26379', 'primary name'],
    ['redis-sentinel://s:26379/', 'primary name'],
    ['redis-sentinel://s:26379/ma in', 'primary name'],
    ['redis-sentinel://s:26379/main\r\nSHUTDOWN', 'primary name'],
    ['redis-sentinel://s/main', '"s" is not host:port'],
    ['redis-sentinel://s:26379,/main', '"" is not host:port'],
    ['redis-sentinel://s:0/main', '"s:0" is not host:port'],
    ['redis-sentinel://s:26379/main/16', 'db "16" is not 0-15'],
    ['redis-sentinel://s:26379/main/0/x', 'more path parts'],
    ['redis-sentinel://u:%zz@s:26379/main', 'malformed %-escape'],
  ])('refuses %j, saying why', (url, problem) => {
    expect(parseSentinelUrl(url)).toEqual({ problem: expect.stringContaining(problem) });
    const result = redisUrlSchema.safeParse(url);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(problem);
    expect(() => redisTargetOf({ url })).toThrow(expect.objectContaining({ code: 'invalid_target', details: { field: 'url' } }));
  });

  it('accepts it as REDIS_URL beside redis:// and rediss://, and nothing else', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://h:6380/1', 'redis-sentinel://s:26379/main']) expect(redisUrlSchema.safeParse(url).success).toBe(true);
    for (const url of ['http://h', 'redis:/h', 'sentinel://s:26379/main']) expect(redisUrlSchema.safeParse(url).success).toBe(false);
    expect(redisTargetOf({ url: 'redis-sentinel://s:26379/main' })).toEqual({ kind: 'single', url: 'redis-sentinel://s:26379/main' });
  });

  it('describes a sentinel target without its password', () => {
    expect(describeRedisTarget({ kind: 'single', url: 'redis-sentinel://app:s3cret@a:26379,b:26379/main' })).toBe('redis-sentinel://app:***@a:26379,b:26379/main');
  });
});
