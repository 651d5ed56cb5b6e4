import { sourceKey } from './net-address';

describe('sourceKey: what per-source connection limits count by', () => {
  it('keeps IPv4 addresses, unwrapping IPv4-mapped IPv6', () => {
    expect(sourceKey('192.0.2.7')).toBe('192.0.2.7');
    expect(sourceKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('groups IPv6 addresses by /64, however they are written', () => {
    const key = sourceKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:a:b:c:d', '2001:db8:1:2::1.2.3.4', '2001:db8:1:2::9%eth0']) expect(sourceKey(same)).toBe(key);
    expect(sourceKey('2001:db8:1:3::1')).not.toBe(key);
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
  });
});
