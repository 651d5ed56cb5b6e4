import { createDirectory, type Directory } from '@legwork/directory';
import { HookCache } from './hook-cache';

const hookDoc = { name: 'crm', uri: 'https://crm.example.com/hooks', hook: 'all' };
let dir: Directory;

beforeEach(() => {
  dir = createDirectory({});
});
afterEach(() => dir.close());

/** Counts the directory's hook reads and counter reads, so a test can tell a cache hit from a load. */
function counting(d: Directory): { lists: number; reads: number } {
  const n = { lists: 0, reads: 0 };
  const { list, generations } = d.webhooks;
  d.webhooks.list = (id) => (n.lists++, list.call(d.webhooks, id));
  d.webhooks.generations = (ids) => (n.reads++, generations.call(d.webhooks, ids));
  return n;
}

describe('HookCache', () => {
  it('serves hooks from memory until a write bumps the account generation, then loads them again', async () => {
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    const hook = await dir.webhooks.create(acct.id, hookDoc);
    const n = counting(dir);
    const cache = new HookCache(dir);
    expect((await cache.find(acct.id, hook.id))?.uri).toBe(hookDoc.uri);
    expect((await cache.find(acct.id, hook.id))?.uri).toBe(hookDoc.uri);
    expect(n.lists).toBe(1);
    await dir.webhooks.patch(acct.id, hook.id, { uri: 'https://crm.example.com/v2' });
    expect((await cache.find(acct.id, hook.id))?.uri).toBe('https://crm.example.com/v2');
    expect(n.lists).toBe(2);
    await dir.webhooks.delete(acct.id, hook.id);
    expect(await cache.find(acct.id, hook.id)).toBeNull();
  });

  it('shares one counter read and one load among the lookups of a turn', async () => {
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    const hook = await dir.webhooks.create(acct.id, hookDoc);
    const n = counting(dir);
    const cache = new HookCache(dir);
    const found = await Promise.all(Array.from({ length: 20 }, () => cache.find(acct.id, hook.id)));
    expect(found.every((h) => h?.id === hook.id)).toBe(true);
    expect(n).toEqual({ lists: 1, reads: 1 });
  });

  it('has no hooks for an account that is gone, and reloads a copy past its age', async () => {
    let now = 1_000;
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    await dir.webhooks.create(acct.id, hookDoc);
    const n = counting(dir);
    const cache = new HookCache(dir, { maxAgeMs: 100, now: () => now });
    expect(await cache.hooksOf([acct.id, 'f'.repeat(32)])).toEqual([[expect.objectContaining({ uri: hookDoc.uri })], []]);
    now += 150;
    await cache.hooksOf([acct.id]);
    expect(n.lists).toBe(3);
  });

  it('keeps at most maxAccounts accounts', async () => {
    const cache = new HookCache(dir, { maxAccounts: 2 });
    for (const name of ['a', 'b', 'c']) {
      const acct = await dir.accounts.create({ name, realm: `${name}.local` });
      await cache.hooksOf([acct.id]);
    }
    expect(cache.size).toBe(2);
  });

  it('fails the lookup, never serves a guess, when the counters cannot be read', async () => {
    const cache = new HookCache(dir);
    dir.webhooks.generations = () => Promise.reject(new Error('redis down'));
    await expect(cache.find('a'.repeat(32), 'b'.repeat(32))).rejects.toThrow('redis down');
  });
});
