import { describeRedisTarget, parseClusterNodes, redisClusterNodesSchema, redisTargetOf } from './redis-target';

describe('redis target', () => {
  it('parses REDIS_CLUSTER_NODES into seed nodes, IPv6 in brackets', () => {
    expect(redisClusterNodesSchema.parse('10.0.0.1:7000, redis-b:7001,[::1]:7002')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it.each([
    ['', '"" is not host:port'],
    ['10.0.0.1', '"10.0.0.1" is not host:port'],
    ['10.0.0.1:7000,', '"" is not host:port'],
    ['host:0', '"host:0" is not host:port'],
    ['host:70000', '"host:70000" is not host:port'],
    ['redis://host:7000', '"redis://host:7000" is not host:port'],
  ])('refuses %j, naming the entry', (value, message) => {
    const parsed = parseClusterNodes(value);
    expect(parsed).toEqual({ problem: expect.stringContaining(message) });
    const result = redisClusterNodesSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });

  it('picks the URL or the cluster, never both, and stays in process with neither', () => {
    expect(redisTargetOf({ url: 'redis://127.0.0.1:6379' })).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(redisTargetOf({ clusterNodes: [{ host: 'a', port: 7000 }] })).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 7000 }] });
    expect(redisTargetOf({})).toBeUndefined();
    expect(() => redisTargetOf({ url: 'redis://a', clusterNodes: [{ host: 'a', port: 7000 }] })).toThrow(
      expect.objectContaining({ code: 'invalid_target', details: { field: 'clusterNodes' } }),
    );
    expect(() => redisTargetOf({ url: 'http://a' })).toThrow(expect.objectContaining({ code: 'invalid_target', details: { field: 'url' } }));
    expect(() => redisTargetOf({ clusterNodes: [] })).toThrow(expect.objectContaining({ code: 'invalid_target' }));
    expect(() => redisTargetOf({ clusterNodes: [{ host: 'a', port: 0 }] })).toThrow(expect.objectContaining({ code: 'invalid_target' }));
  });

  it('describes a target without its password', () => {
    expect(describeRedisTarget({ kind: 'single', url: 'redis://user:s3cret@host:6379/0' })).toBe('redis://user:***@host:6379/0');
    expect(describeRedisTarget({ kind: 'single', url: 'redis://host:6379' })).toBe('redis://host:6379');
    expect(describeRedisTarget({ kind: 'cluster', nodes: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }] })).toBe('cluster a:1,b:2');
  });
});
