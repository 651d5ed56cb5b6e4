import { md5Credentials } from '../credentials/hashing';
import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

export function userContract(h: () => DirectoryHarness): void {
  describe('users', () => {
    it('creates, reads, lists and finds users by username without exposing the password', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, {
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'Ada.L',
        password: 's3cret',
        email: 'ada@example.com',
        caller_id: { internal: { name: 'Ada', number: '1001' }, external: { number: '+441234567890' } },
      });
      expect(user).toMatchObject({ account_id: acct.id, username: 'ada.l', enabled: true, priv_level: 'user', allow_anonymous_quickcalls: false });
      expect(user).not.toHaveProperty('password');
      expect(user).not.toHaveProperty('pvt_md5_auth');
      expect(await dir.users.get(acct.id, user.id)).toEqual(user);
      expect((await dir.users.findByUsername(acct.id, 'ADA.L'))?.id).toBe(user.id);
      expect((await dir.users.list(acct.id)).map((u) => u.id)).toEqual([user.id]);
      const other = await account(dir);
      await expectDirectoryError(dir.users.get(other.id, user.id), 'not_found');
      await expectDirectoryError(dir.users.create('a'.repeat(32), { first_name: 'x', last_name: 'y' }), 'not_found');
    });

    it('names invalid fields and rules', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      await expectDirectoryError(dir.users.create(acct.id, { last_name: 'x' }), 'invalid_document', 'first_name', 'required');
      const err = await expectDirectoryError(
        dir.users.create(acct.id, { first_name: 'a', last_name: 'b', caller_id: { external: { number: 1234 } } }),
        'invalid_document',
        'caller_id.external.number',
        'type',
      );
      expect(err.violations[0]?.message).toBe('must be a string');
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'a', last_name: 'b', email: 'nope' }), 'invalid_document', 'email', 'format');
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'a', last_name: 'b', priv_level: 'root' }), 'invalid_document', 'priv_level', 'enum');
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'a', last_name: 'b', password: 'pw' }), 'invalid_document', 'username', 'required');
    });

    it('keeps usernames unique per account, not across accounts', async () => {
      const dir = h().directory;
      const a = await account(dir);
      const b = await account(dir);
      await dir.users.create(a.id, { first_name: 'a', last_name: 'a', username: 'bob' });
      await expectDirectoryError(dir.users.create(a.id, { first_name: 'b', last_name: 'b', username: 'BOB' }), 'conflict', 'username');
      await expect(dir.users.create(b.id, { first_name: 'b', last_name: 'b', username: 'bob' })).resolves.toMatchObject({ username: 'bob' });
    });

    it('lets exactly one of 20 parallel creates of a username succeed', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const username = uniq('race');
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => dir.users.create(acct.id, { first_name: `f${i}`, last_name: 'l', username })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
      expect(await dir.users.list(acct.id)).toHaveLength(1);
    });

    it('PATCH merges nested objects; a username change needs the password again', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'a', last_name: 'b', username: 'carol', password: 'pw', caller_id: { internal: { name: 'C', number: '1' } } });
      const patched = await dir.users.patch(acct.id, user.id, { caller_id: { external: { number: '+15550100' } } });
      expect(patched.caller_id).toEqual({ internal: { name: 'C', number: '1' }, external: { number: '+15550100' } });
      await expectDirectoryError(dir.users.patch(acct.id, user.id, { username: 'carol2' }), 'invalid_document', 'password', 'required');
      const renamed = await dir.users.patch(acct.id, user.id, { username: 'carol2', password: 'pw2' });
      expect(renamed.username).toBe('carol2');
      expect(await dir.users.findByUsername(acct.id, 'carol')).toBeNull();
      await expect(dir.credentials.authenticateUser(acct.name, md5Credentials('carol2', 'pw2'))).resolves.toMatchObject({ id: user.id });
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, md5Credentials('carol', 'pw')), 'unauthorized');
      const replaced = await dir.users.replace(acct.id, user.id, { first_name: 'x', last_name: 'y', username: 'carol2' });
      expect(replaced.caller_id).toBeUndefined();
      await expect(dir.credentials.authenticateUser(acct.name, md5Credentials('carol2', 'pw2'))).resolves.toMatchObject({ first_name: 'x' });
    });

    it('deleting a user keeps its devices unowned and removes it from groups', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'd', last_name: 'e', username: 'dave' });
      const device = await dir.devices.create(acct.id, { name: 'desk', owner_id: user.id, sip: { username: uniq('dave'), password: 'pw' } });
      const group = await dir.groups.create(acct.id, { name: 'sales', endpoints: { [user.id]: { type: 'user' }, [device.id]: { type: 'device' } } });
      await dir.users.delete(acct.id, user.id);
      await expectDirectoryError(dir.users.get(acct.id, user.id), 'not_found');
      const kept = await dir.devices.get(acct.id, device.id);
      expect(kept.owner_id).toBeUndefined();
      expect(await dir.devices.listByOwner(acct.id, user.id)).toEqual([]);
      expect(Object.keys((await dir.groups.get(acct.id, group.id)).endpoints)).toEqual([device.id]);
      await expect(dir.users.create(acct.id, { first_name: 'n', last_name: 'n', username: 'dave' })).resolves.toMatchObject({ username: 'dave' });
    });
  });
}
