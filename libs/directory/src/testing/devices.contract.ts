import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';
import { deviceSecretsContract } from './device-secrets.contract';

export function deviceContract(h: () => DirectoryHarness): void {
  describe('devices', () => {
    it('creates a device with the account realm and finds it by sip username@realm', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const username = uniq('Phone');
      const device = await dir.devices.create(acct.id, {
        name: 'Desk phone',
        sip: { username, password: 'secret' },
        push: { provider: 'apns', prid: 'token123', param: 'team.app.voip' },
      });
      expect(device).toMatchObject({ account_id: acct.id, device_type: 'sip_device', enabled: true, sip: { username, realm: acct.realm, invite_format: 'username' } });
      expect(device.push).toEqual({ provider: 'apns', prid: 'token123', param: 'team.app.voip', accept_calls: true });
      expect((await dir.devices.findBySip(username, acct.realm.toUpperCase()))?.id).toBe(device.id);
      expect(await dir.devices.findBySip(username.toLowerCase(), acct.realm)).toBeNull();
      expect((await dir.devices.list(acct.id)).map((d) => d.id)).toEqual([device.id]);
    });

    it('names invalid fields and rules', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x', sip: { password: 'p' } }), 'invalid_document', 'sip.username', 'required');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x' }), 'invalid_document', 'sip', 'required');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x', sip: { username: uniq('u'), password: 'p', invite_format: 'fax' } }), 'invalid_document', 'sip.invite_format', 'enum');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x', sip: { username: uniq('u'), password: 'p', invite_format: 'route' } }), 'invalid_document', 'sip.route', 'required');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x', sip: { username: 'a@b', password: 'p' } }), 'invalid_document', 'sip.username', 'format');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x', owner_id: 'c'.repeat(32), sip: { username: uniq('u'), password: 'p' } }), 'invalid_document', 'owner_id', 'exists');
    });

    it('keeps sip usernames unique per realm', async () => {
      const dir = h().directory;
      const a = await account(dir);
      const b = await account(dir);
      const username = uniq('dup');
      await dir.devices.create(a.id, { name: 'one', sip: { username, password: 'p' } });
      await expectDirectoryError(dir.devices.create(a.id, { name: 'two', sip: { username, password: 'p' } }), 'conflict', 'sip.username');
      // Another account's realm is refused before any uniqueness check, so the answer never tells whether the name is taken.
      const squat = await expectDirectoryError(dir.devices.create(b.id, { name: 'three', sip: { username, password: 'p', realm: a.realm } }), 'invalid_document', 'sip.realm', 'enum');
      const free = await expectDirectoryError(dir.devices.create(b.id, { name: 'three', sip: { username: uniq('free'), password: 'p', realm: a.realm } }), 'invalid_document', 'sip.realm', 'enum');
      expect(squat.violations).toEqual(free.violations);
      await expect(dir.devices.create(b.id, { name: 'four', sip: { username, password: 'p' } })).resolves.toMatchObject({ sip: { realm: b.realm } });
    });

    it('lists a user\'s devices and follows owner changes', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const alice = await dir.users.create(acct.id, { first_name: 'a', last_name: 'a' });
      const bob = await dir.users.create(acct.id, { first_name: 'b', last_name: 'b' });
      const d1 = await dir.devices.create(acct.id, { name: 'd1', owner_id: alice.id, sip: { username: uniq('d'), password: 'p' } });
      const d2 = await dir.devices.create(acct.id, { name: 'd2', owner_id: alice.id, sip: { username: uniq('d'), password: 'p' } });
      expect((await dir.devices.listByOwner(acct.id, alice.id)).map((d) => d.id).sort()).toEqual([d1.id, d2.id].sort());
      await dir.devices.patch(acct.id, d2.id, { owner_id: bob.id });
      expect((await dir.devices.listByOwner(acct.id, alice.id)).map((d) => d.id)).toEqual([d1.id]);
      expect((await dir.devices.listByOwner(acct.id, bob.id)).map((d) => d.id)).toEqual([d2.id]);
      await dir.devices.patch(acct.id, d1.id, { owner_id: null });
      expect(await dir.devices.listByOwner(acct.id, alice.id)).toEqual([]);
    });

    it('moves the sip index on rename and frees it on delete', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const device = await dir.devices.create(acct.id, { name: 'd', sip: { username: uniq('old'), password: 'p' }, media: { audio: { codecs: ['OPUS'] } } });
      const renamed = await dir.devices.patch(acct.id, device.id, { sip: { username: uniq('new'), password: 'p' } });
      expect(renamed.media).toEqual({ audio: { codecs: ['OPUS'] } });
      expect(await dir.devices.findBySip(device.sip.username, acct.realm)).toBeNull();
      expect((await dir.devices.findBySip(renamed.sip.username, acct.realm))?.id).toBe(device.id);
      await dir.devices.delete(acct.id, device.id);
      expect(await dir.devices.findBySip(renamed.sip.username, acct.realm)).toBeNull();
      await expectDirectoryError(dir.devices.get(acct.id, device.id), 'not_found');
      await expectDirectoryError(dir.devices.delete(acct.id, device.id), 'not_found');
    });
  });

  deviceSecretsContract(h);

  describe('groups', () => {
    it('stores endpoints of existing users and devices, and drops deleted devices', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'g', last_name: 'g' });
      const device = await dir.devices.create(acct.id, { name: 'd', sip: { username: uniq('g'), password: 'p' } });
      const group = await dir.groups.create(acct.id, { name: 'support', endpoints: { [user.id]: { type: 'user', weight: 1 }, [device.id]: { type: 'device' } } });
      expect(group).toMatchObject({ strategy: 'simultaneous', endpoints: { [user.id]: { type: 'user', weight: 1 }, [device.id]: { type: 'device' } } });
      expect((await dir.groups.patch(acct.id, group.id, { admins: [user.id] })).admins).toEqual([user.id]);
      const single = await dir.groups.patch(acct.id, group.id, { strategy: 'single' });
      expect(single.strategy).toBe('single');
      await dir.devices.delete(acct.id, device.id);
      expect((await dir.groups.get(acct.id, group.id)).endpoints).toEqual({ [user.id]: { type: 'user', weight: 1 } });
      expect((await dir.groups.list(acct.id)).map((g) => g.id)).toEqual([group.id]);
      await dir.users.delete(acct.id, user.id);
      expect(await dir.groups.get(acct.id, group.id)).toMatchObject({ endpoints: {}, admins: [] });
      await dir.groups.delete(acct.id, group.id);
      await expectDirectoryError(dir.groups.get(acct.id, group.id), 'not_found');
    });

    it('rejects unknown endpoints and bad strategies', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const ghost = 'd'.repeat(32);
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', endpoints: { [ghost]: { type: 'user' } } }), 'invalid_document', `endpoints.${ghost}`, 'exists');
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', strategy: 'random' }), 'invalid_document', 'strategy', 'enum');
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', endpoints: { [ghost]: { type: 'phone' } } }), 'invalid_document', `endpoints.${ghost}.type`, 'enum');
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', admins: [ghost] }), 'invalid_document', 'admins.0', 'exists');
    });
  });
}
