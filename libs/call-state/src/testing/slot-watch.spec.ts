import { Redis } from 'ioredis';
import { keySlot } from './key-slot';
import { REDIS_URL } from './redis-harness';
import { watchSlots } from './slot-watch';
import { uid } from './store-harness';

describe('keySlot', () => {
  it('matches what a cluster-enabled Redis answers to CLUSTER KEYSLOT', () => {
    const expected: Record<string, number> = {
      '123456789': 12739,
      foo: 12182,
      'foo{}{bar}': 8363,
      'foo{{bar}}zap': 4015,
      'foo{bar}{zap}': 5061,
      'lw:{call:x}': 3934,
      'lw:nodes': 3692,
      '{user1000}.following': 3443,
    };
    for (const [key, slot] of Object.entries(expected)) expect([key, keySlot(key)]).toEqual([key, slot]);
    expect(keySlot('lw:{acct:a}:calls')).toBe(keySlot('other:{acct:a}:channels'));
  });
});

describe('watchSlots', () => {
  it('groups lone commands, pipelines and MULTI blocks and flags the ones spanning slots', async () => {
    const prefix = `${uid('lwslot')}:`;
    const [a, b] = [`${prefix}{a}`, `${prefix}{b}`];
    expect(keySlot(a)).not.toBe(keySlot(b));
    const redis = new Redis(REDIS_URL);
    // Connected first, so no command passes through the offline queue and is recorded twice.
    await redis.ping();
    const watch = watchSlots();
    try {
      await redis.exists(a, b);
      await redis.multi().exists(a).exists(b).exec();
      await redis.pipeline().exists(a).exists(b).exec();
      await redis.multi().exists(a).get(`${prefix}{a}:x`).exec();
      await redis.call('EVAL', 'return 1', 2, a, b);
    } finally {
      watch.stop();
      await redis.quit();
    }
    const units = watch.units().filter((unit) => unit.keys.length > 0);
    expect(units.map((unit) => [unit.kind, unit.slots.length])).toEqual([
      ['command', 2],
      ['multi', 2],
      ['pipeline', 2],
      ['multi', 1],
      ['command', 2],
    ]);
    expect(units[1].commands).toEqual(['multi', 'exists', 'exists', 'exec']);
    expect(watch.crossSlot()).toHaveLength(4);
  });
});
