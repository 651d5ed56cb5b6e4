import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

const bucket = (burst: number) => ({ burst, refill_per_second: 2 });

/** `limits.api_bucket` was `limits.quickcall_bucket`: the old name still loads and is accepted on writes. */
export function apiBucketContract(h: () => DirectoryHarness): void {
  describe('limits.api_bucket (formerly quickcall_bucket)', () => {
    it('takes the old name on create, replace and patch and answers with the new one', async () => {
      const dir = h().directory;
      const name = uniq('bucket');
      const created = await dir.accounts.create({ name, realm: `${name}.local`, limits: { quickcall_bucket: bucket(5) } });
      expect(created.limits).toEqual({ api_bucket: bucket(5) });
      expect(await dir.accounts.get(created.id)).toEqual(created);
      const patched = await dir.accounts.patch(created.id, { limits: { quickcall_bucket: { burst: 6 } } });
      expect(patched.limits).toEqual({ api_bucket: bucket(6) });
      const replaced = await dir.accounts.replace(created.id, { name, realm: created.realm, limits: { quickcall_bucket: bucket(7) } });
      expect(replaced.limits).toEqual({ api_bucket: bucket(7) });
      expect((await dir.accounts.patch(created.id, { limits: { quickcall_bucket: null } })).limits).toEqual({});
      expect((await dir.accounts.patch(created.id, { limits: { api_bucket: bucket(8), quickcall_bucket: null } })).limits).toEqual({ api_bucket: bucket(8) });
    });

    it('names a bad field the way it was sent, and refuses both names with different values', async () => {
      const dir = h().directory;
      const realm = `${uniq('r')}.local`;
      const bad = { burst: 'ten', refill_per_second: 1 };
      await expectDirectoryError(dir.accounts.create({ name: uniq('a'), realm, limits: { quickcall_bucket: bad } }), 'invalid_document', 'limits.quickcall_bucket.burst', 'type');
      await expectDirectoryError(dir.accounts.create({ name: uniq('a'), realm, limits: { api_bucket: bad } }), 'invalid_document', 'limits.api_bucket.burst', 'type');
      await expectDirectoryError(dir.accounts.create({ name: uniq('a'), realm, limits: { api_bucket: bucket(1), quickcall_bucket: bucket(2) } }), 'invalid_document', 'limits.quickcall_bucket', 'invalid');
      const same = await dir.accounts.create({ name: uniq('a'), realm, limits: { api_bucket: bucket(3), quickcall_bucket: bucket(3) } });
      expect(same.limits).toEqual({ api_bucket: bucket(3) });
    });

    it('caps a sub-account by its parent whichever name either was written with', async () => {
      const dir = h().directory;
      const parent = await dir.accounts.create({ name: uniq('p'), realm: `${uniq('p')}.local`, limits: { quickcall_bucket: bucket(10) } });
      const err = await expectDirectoryError(dir.accounts.create({ name: uniq('c'), realm: `${uniq('c')}.local`, limits: { api_bucket: bucket(11) } }, parent.id), 'invalid_document');
      expect(err.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['limits.api_bucket.burst:maximum']);
      const old = await expectDirectoryError(dir.accounts.create({ name: uniq('c'), realm: `${uniq('c')}.local`, limits: { quickcall_bucket: bucket(11) } }, parent.id), 'invalid_document');
      expect(old.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['limits.quickcall_bucket.burst:maximum']);
    });

    it('loads a document stored with quickcall_bucket as api_bucket, and writes it back under the new name', async () => {
      const { directory: dir, store, keys } = h();
      const parent = await account(dir);
      const child = await account(dir, parent.id);
      const key = keys.account(child.id);
      const raw = (await store.get(key)) ?? '';
      // As a release before the rename left it.
      expect(await store.compareAndSet(key, raw, JSON.stringify({ ...child, limits: { quickcall_bucket: bucket(4) } }))).toBe(true);
      expect((await dir.accounts.get(child.id)).limits).toEqual({ api_bucket: bucket(4) });
      expect((await dir.accounts.findByName(child.name))?.limits).toEqual({ api_bucket: bucket(4) });
      expect((await dir.accounts.listChildren(parent.id)).map((a) => a.limits)).toEqual([{ api_bucket: bucket(4) }]);
      await dir.accounts.patch(child.id, { timezone: 'UTC' });
      const rewritten = JSON.parse((await store.get(key)) ?? '{}') as { limits: Record<string, unknown> };
      expect(rewritten.limits).toEqual({ api_bucket: bucket(4) });
    });
  });
}
