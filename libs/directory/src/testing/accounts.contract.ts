import { KAZOO_ID } from '@legwork/common';
import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

export function accountContract(h: () => DirectoryHarness): void {
  describe('accounts', () => {
    it('creates an account with Kazoo-shaped defaults and finds it by id, name and realm', async () => {
      const dir = h().directory;
      const name = uniq('Acme');
      const created = await dir.accounts.create({ name, realm: `${name}.Legwork.Local` });
      expect(created.id).toMatch(KAZOO_ID);
      expect(created).toMatchObject({ name, realm: `${name.toLowerCase()}.legwork.local`, enabled: true, limits: {}, allow_anonymous_quickcalls: false, parent_id: null, tree: [] });
      expect(created.revision).toMatch(/^1-[0-9a-f]+$/);
      expect(await dir.accounts.get(created.id)).toEqual(created);
      expect((await dir.accounts.findByName(name.toUpperCase()))?.id).toBe(created.id);
      expect((await dir.accounts.findByRealm(created.realm))?.id).toBe(created.id);
      expect(await dir.accounts.findByName(uniq('nobody'))).toBeNull();
    });

    it('the first root account becomes the master', async () => {
      const dir = h().directory;
      const before = await dir.accounts.getMaster();
      const root = await account(dir);
      const master = await dir.accounts.getMaster();
      expect(master?.id).toBe(before?.id ?? root.id);
    });

    it('builds the tree of sub-accounts and answers isDescendant', async () => {
      const dir = h().directory;
      const root = await account(dir);
      const reseller = await account(dir, root.id);
      const customer = await account(dir, reseller.id);
      const sibling = await account(dir, root.id);
      expect(customer.tree).toEqual([root.id, reseller.id]);
      expect(customer.parent_id).toBe(reseller.id);
      expect((await dir.accounts.listChildren(root.id)).map((a) => a.id).sort()).toEqual([reseller.id, sibling.id].sort());
      expect(await dir.accounts.isDescendant(root.id, customer.id)).toBe(true);
      expect(await dir.accounts.isDescendant(customer.id, customer.id)).toBe(true);
      expect(await dir.accounts.isDescendant(customer.id, root.id)).toBe(false);
      expect(await dir.accounts.isDescendant(sibling.id, customer.id)).toBe(false);
      expect(await dir.accounts.isDescendant(root.id, 'f'.repeat(32))).toBe(false);
      await expectDirectoryError(dir.accounts.create({ name: uniq('orphan'), realm: `${uniq('o')}.local` }, 'e'.repeat(32)), 'not_found');
    });

    it('rejects duplicate names (case-insensitive) and realms', async () => {
      const dir = h().directory;
      const a = await account(dir);
      await expectDirectoryError(dir.accounts.create({ name: a.name.toUpperCase(), realm: `${uniq('r')}.local` }), 'conflict', 'name');
      await expectDirectoryError(dir.accounts.create({ name: uniq('other'), realm: a.realm }), 'conflict', 'realm');
      // The failed create must not have kept the name it claimed first.
      const freed = uniq('freed');
      await expectDirectoryError(dir.accounts.create({ name: freed, realm: a.realm }), 'conflict', 'realm');
      await expect(dir.accounts.create({ name: freed, realm: `${freed}.local` })).resolves.toMatchObject({ name: freed });
    });

    it('names the field and rule of invalid documents', async () => {
      const dir = h().directory;
      await expectDirectoryError(dir.accounts.create({ realm: 'x.local' }), 'invalid_document', 'name', 'required');
      await expectDirectoryError(dir.accounts.create({ name: uniq('a'), realm: 'not a realm!' }), 'invalid_document', 'realm', 'format');
      await expectDirectoryError(dir.accounts.create({ name: uniq('a'), realm: `${uniq('r')}.local`, timezone: 'Mars/Olympus' }), 'invalid_document', 'timezone', 'format');
      const err = await expectDirectoryError(
        dir.accounts.create({ name: uniq('a'), realm: `${uniq('r')}.local`, limits: { api_bucket: { burst: 'ten', refill_per_second: 1 } } }),
        'invalid_document',
        'limits.api_bucket.burst',
        'type',
      );
      expect(err.message).toContain('must be a number');
      await expectDirectoryError(dir.accounts.create('nope'), 'invalid_document');
    });

    it('PATCH merges, POST replaces, and every write bumps the revision', async () => {
      const dir = h().directory;
      const a = await dir.accounts.create({ name: uniq('p'), realm: `${uniq('p')}.local`, timezone: 'Europe/Paris', limits: { max_concurrent_channels: 5 } });
      const patched = await dir.accounts.patch(a.id, { limits: { calls_per_second: 2 }, allow_anonymous_quickcalls: true });
      expect(patched.limits).toEqual({ max_concurrent_channels: 5, calls_per_second: 2 });
      expect(patched.timezone).toBe('Europe/Paris');
      expect(patched.revision).toMatch(/^2-/);
      expect(patched.created).toBe(a.created);
      const replaced = await dir.accounts.replace(a.id, { name: a.name, realm: a.realm });
      expect(replaced.timezone).toBeUndefined();
      expect(replaced.limits).toEqual({});
      expect(replaced.revision).toMatch(/^3-/);
      expect(replaced.tree).toEqual(a.tree);
      await expectDirectoryError(dir.accounts.patch(a.id, { enabled: 'yes' }), 'invalid_document', 'enabled', 'type');
      await expectDirectoryError(dir.accounts.patch(a.id, { enabled: false }, { revision: a.revision }), 'conflict', 'revision');
      await expectDirectoryError(dir.accounts.patch('0'.repeat(32), { enabled: false }), 'not_found');
    });

    it('renaming frees the old name and realm', async () => {
      const dir = h().directory;
      const a = await account(dir);
      const name = uniq('renamed');
      await dir.accounts.patch(a.id, { name, realm: `${name}.local` });
      expect((await dir.accounts.findByName(name))?.id).toBe(a.id);
      expect(await dir.accounts.findByName(a.name)).toBeNull();
      await expect(dir.accounts.create({ name: a.name, realm: a.realm })).resolves.toMatchObject({ name: a.name });
    });

    it('refuses to delete an account with sub-accounts, then deletes leaf first', async () => {
      const dir = h().directory;
      const parent = await account(dir);
      const child = await account(dir, parent.id);
      await expectDirectoryError(dir.accounts.delete(parent.id), 'conflict', 'children');
      await dir.accounts.delete(child.id);
      expect(await dir.accounts.listChildren(parent.id)).toEqual([]);
      await dir.accounts.delete(parent.id);
      await expectDirectoryError(dir.accounts.get(parent.id), 'not_found');
      expect(await dir.accounts.findByName(parent.name)).toBeNull();
      await expectDirectoryError(dir.accounts.delete(parent.id), 'not_found');
    });

    it('lets exactly one of many parallel creates claim a name', async () => {
      const dir = h().directory;
      const name = uniq('race');
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => dir.accounts.create({ name, realm: `${name}-${i}.local` })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    });
  });
}
