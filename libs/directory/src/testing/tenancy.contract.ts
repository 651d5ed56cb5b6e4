import { md5Credentials } from '../credentials/hashing';
import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

/** What one tenant can never do to another, or to the tree above it. */
export function tenancyContract(h: () => DirectoryHarness): void {
  describe('tenancy', () => {
    it('keeps names unique among siblings only, and finds every account of a name', async () => {
      const dir = h().directory;
      const [p1, p2] = [await account(dir), await account(dir)];
      const name = uniq('Shared');
      const a = await dir.accounts.create({ name, realm: `${uniq('s')}.local` }, p1.id);
      const b = await dir.accounts.create({ name: name.toUpperCase(), realm: `${uniq('s')}.local` }, p2.id);
      await expectDirectoryError(dir.accounts.create({ name, realm: `${uniq('s')}.local` }, p1.id), 'conflict', 'name');
      // created in the same second: order between them is by id
      expect((await dir.accounts.findAllByName(name)).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect(await dir.accounts.findByName(name)).toBeNull();
      await dir.accounts.patch(b.id, { name: uniq('moved') });
      expect((await dir.accounts.findByName(name))?.id).toBe(a.id);
      await dir.accounts.delete(a.id);
      expect(await dir.accounts.findAllByName(name)).toEqual([]);
    });

    it('logs a user in by realm only from the realm, and by a shared name through the credentials', async () => {
      const dir = h().directory;
      const victim = await account(dir);
      const squatter = await account(dir);
      await dir.accounts.create({ name: victim.realm, realm: `${uniq('sq')}.local` }, squatter.id);
      const user = await dir.users.create(victim.id, { first_name: 'v', last_name: 'v', username: 'vic', password: 'pw' });
      const md5 = md5Credentials('vic', 'pw');
      expect((await dir.credentials.authenticateUser({ realm: victim.realm }, md5)).id).toBe(user.id);
      expect((await dir.credentials.authenticateUser(victim.realm, md5)).id).toBe(user.id);
      await expectDirectoryError(dir.credentials.authenticateUser({ name: victim.realm }, md5), 'unauthorized');
      const twinName = uniq('Twin');
      const t1 = await dir.accounts.create({ name: twinName, realm: `${uniq('t')}.local` }, victim.id);
      const t2 = await dir.accounts.create({ name: twinName, realm: `${uniq('t')}.local` }, squatter.id);
      const u1 = await dir.users.create(t1.id, { first_name: 'a', last_name: 'a', username: 'same', password: 'one' });
      const u2 = await dir.users.create(t2.id, { first_name: 'b', last_name: 'b', username: 'same', password: 'two' });
      expect((await dir.credentials.authenticateUser({ name: twinName }, md5Credentials('same', 'one'))).id).toBe(u1.id);
      expect((await dir.credentials.authenticateUser({ name: twinName }, md5Credentials('same', 'two'))).id).toBe(u2.id);
    });

    it("refuses a sub-account's limits above any ancestor's, and a parent's below a sub-account's", async () => {
      const dir = h().directory;
      const top = await dir.accounts.create({ name: uniq('top'), realm: `${uniq('top')}.local`, limits: { max_concurrent_channels: 10, api_bucket: { burst: 50, refill_per_second: 5 } } });
      const mid = await account(dir, top.id);
      const over = { max_concurrent_channels: 11, api_bucket: { burst: 1_000_000, refill_per_second: 5 } };
      const err = await expectDirectoryError(dir.accounts.create({ name: uniq('leaf'), realm: `${uniq('leaf')}.local`, limits: over }, mid.id), 'invalid_document');
      expect(err.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['limits.max_concurrent_channels:maximum', 'limits.api_bucket.burst:maximum']);
      const leaf = await dir.accounts.create({ name: uniq('leaf'), realm: `${uniq('leaf')}.local`, limits: { max_concurrent_channels: 8 } }, mid.id);
      await expectDirectoryError(dir.accounts.patch(leaf.id, { limits: { max_concurrent_channels: 12 } }), 'invalid_document', 'limits.max_concurrent_channels', 'maximum');
      await expectDirectoryError(dir.accounts.patch(mid.id, { limits: { max_concurrent_channels: 5 } }), 'invalid_document', 'limits.max_concurrent_channels', 'minimum');
      await expect(dir.accounts.patch(mid.id, { limits: { max_concurrent_channels: 9 } })).resolves.toMatchObject({ limits: { max_concurrent_channels: 9 } });
      await expect(dir.accounts.patch(leaf.id, { timezone: 'UTC' })).resolves.toMatchObject({ timezone: 'UTC' });
    });

    it('never disables or deletes the master account', async () => {
      const dir = h().directory;
      const master = (await dir.accounts.getMaster()) ?? (await account(dir));
      await expectDirectoryError(dir.accounts.patch(master.id, { enabled: false }), 'forbidden');
      await expectDirectoryError(dir.accounts.replace(master.id, { name: master.name, realm: master.realm, enabled: false }), 'forbidden');
      await expectDirectoryError(dir.accounts.delete(master.id), 'forbidden');
      expect((await dir.accounts.get(master.id)).enabled).toBe(true);
    });

    it("keeps an account's realm while devices are registered under it", async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const device = await dir.devices.create(acct.id, { name: 'd', sip: { username: uniq('d'), password: 'p' } });
      await expectDirectoryError(dir.accounts.patch(acct.id, { realm: `${uniq('moved')}.local` }), 'invalid_document', 'realm', 'immutable');
      await dir.devices.delete(acct.id, device.id);
      await expect(dir.accounts.patch(acct.id, { realm: `${uniq('moved')}.local` })).resolves.toBeDefined();
    });
  });
}
