import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

const sip = () => ({ username: uniq('d'), password: 'p' });

/** Leaves a user as a version before unique emails wrote it: a document and its id, no email index entry. */
async function legacyUser(h: DirectoryHarness, accountId: string, id: string, email: string): Promise<void> {
  const doc = { first_name: 'old', last_name: 'user', email, enabled: true, allow_anonymous_quickcalls: false, priv_level: 'user', account_id: accountId, id, created: 1, modified: 1, revision: '1-0' };
  await h.store.compareAndSet(h.keys.doc(accountId, 'user', id), null, JSON.stringify(doc));
  await h.store.sadd(h.keys.docSet(accountId, 'user'), id);
}

/** How dialects find users, devices and groups: email, label, name, mobile number, push id, group membership. */
export function lookupsContract(h: () => DirectoryHarness): void {
  describe('user lookups', () => {
    it('keeps emails unique per account (case-insensitive) and finds users by them', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const other = await account(dir);
      const jones = await dir.users.create(acct.id, { first_name: 'J', last_name: 'Jones', email: 'Jones@abcd.com' });
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'x', last_name: 'y', email: 'jones@ABCD.com' }), 'conflict', 'email');
      await expect(dir.users.create(other.id, { first_name: 'x', last_name: 'y', email: 'jones@abcd.com' })).resolves.toBeDefined();
      expect((await dir.users.findByEmail(acct.id, ' JONES@abcd.com '))?.id).toBe(jones.id);
      expect(await dir.users.findByEmail(acct.id, 'nobody@abcd.com')).toBeNull();
      await dir.users.patch(acct.id, jones.id, { email: 'j@abcd.com' });
      expect(await dir.users.findByEmail(acct.id, 'jones@abcd.com')).toBeNull();
      await expect(dir.users.create(acct.id, { first_name: 'x', last_name: 'y', email: 'jones@abcd.com' })).resolves.toBeDefined();
    });

    it('indexes emails of users written before emails were unique on the first lookup, leaving shared ones out', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const [solo, twinA, twinB] = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
      await legacyUser(harness, acct.id, solo, 'Solo@example.com');
      await legacyUser(harness, acct.id, twinA, 'twin@example.com');
      await legacyUser(harness, acct.id, twinB, 'twin@example.com');
      expect((await dir.users.findByEmail(acct.id, 'solo@example.com'))?.id).toBe(solo);
      expect(await dir.users.findByEmail(acct.id, 'twin@example.com')).toBeNull();
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'n', last_name: 'n', email: 'solo@example.com' }), 'conflict', 'email');
    });

    it('finds users by label (unique per account among users) and by name', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const jessica = await dir.users.create(acct.id, { first_name: 'Jessica', last_name: 'Alba', username: 'jess', label: 'Reception' });
      const thomas = await dir.users.create(acct.id, { first_name: 'Thomas', last_name: 'Jenkins' });
      const thomas2 = await dir.users.create(acct.id, { first_name: 'Thomas', last_name: 'Anderson', username: 'neo' });
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'x', last_name: 'y', label: 'RECEPTION' }), 'conflict', 'label');
      // a group may carry a user's label: labels are unique per kind
      await expect(dir.groups.create(acct.id, { name: 'front', label: 'Reception' })).resolves.toMatchObject({ label: 'Reception' });
      expect((await dir.users.findByLabel(acct.id, 'reception'))?.id).toBe(jessica.id);
      expect((await dir.users.findByName(acct.id, 'JESS'))?.id).toBe(jessica.id);
      expect((await dir.users.findByName(acct.id, 'jessica'))?.id).toBe(jessica.id);
      expect((await dir.users.findByName(acct.id, 'Thomas Jenkins'))?.id).toBe(thomas.id);
      expect(await dir.users.findByName(acct.id, 'thomas')).toBeNull();
      // created in the same second: compared as a set
      expect((await dir.users.findAllByName(acct.id, 'thomas')).map((u) => u.id).sort()).toEqual([thomas.id, thomas2.id].sort());
      expect((await dir.users.findByName(acct.id, 'neo'))?.id).toBe(thomas2.id);
      expect(await dir.users.findByName(acct.id, '')).toBeNull();
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'x', last_name: 'y', label: 'Boss\r\nX-Injected: 1' }), 'invalid_document', 'label', 'format');
    });

    it("stores mobile numbers in E.164 with the account's country, unique per account, and finds users by them", async () => {
      const dir = h().directory;
      const gb = await dir.accounts.create({ name: uniq('gb'), realm: `${uniq('gb')}.local`, country: 'GB' });
      const user = await dir.users.create(gb.id, { first_name: 'm', last_name: 'm', mobile_number: '07400 123456' });
      expect(user.mobile_number).toBe('+447400123456');
      await expectDirectoryError(dir.users.create(gb.id, { first_name: 'x', last_name: 'y', mobile_number: '+447400123456' }), 'conflict', 'mobile_number');
      await expectDirectoryError(dir.users.create(gb.id, { first_name: 'x', last_name: 'y', mobile_number: '12345' }), 'invalid_document', 'mobile_number', 'format');
      expect((await dir.users.findByMobileNumber(gb.id, '+447400123456'))?.id).toBe(user.id);
      expect((await dir.users.findByMobileNumber(gb.id, '07400123456'))?.id).toBe(user.id);
      expect(await dir.users.findByMobileNumber(gb.id, 'not a number')).toBeNull();
      expect(await dir.users.findByMobileNumber((await account(dir)).id, '+447400123456')).toBeNull();
    });
  });

  describe('device lookups', () => {
    it('keeps mobile device types and push settings, and finds a device by its push id within its account', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const prid = uniq('prid');
      const push = { provider: 'apns', prid, param: 'TEAM.com.example.voip' };
      const phone = await dir.devices.create(acct.id, { name: 'iphone', device_type: 'smartphone', sip: sip(), push });
      expect(phone).toMatchObject({ device_type: 'smartphone', push: { ...push, accept_calls: true } });
      await expect(dir.devices.create(acct.id, { name: 'android', device_type: 'mobile', sip: sip(), push: { provider: 'fcm', prid: uniq('p'), accept_calls: false } })).resolves.toMatchObject({ device_type: 'mobile' });
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'twin', sip: sip(), push }), 'conflict', 'push.prid');
      expect((await dir.devices.findByPushId(acct.id, prid))?.id).toBe(phone.id);
      expect(await dir.devices.findByPushId((await account(dir)).id, prid)).toBeNull();
      expect(await dir.devices.findByPushId(acct.id, 'x'.repeat(5000))).toBeNull();
      await dir.devices.patch(acct.id, phone.id, { push: null });
      expect(await dir.devices.findByPushId(acct.id, prid)).toBeNull();
    });
  });

  describe('group lookups', () => {
    it('types groups (ring_group by default, call_center) and finds them by label, name and member', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const james = await dir.users.create(acct.id, { first_name: 'James', last_name: 'K' });
      const desk = await dir.devices.create(acct.id, { name: 'desk', owner_id: james.id, sip: sip() });
      const sales = await dir.groups.create(acct.id, { name: 'sales', label: 'Sales Team', endpoints: { [james.id]: { type: 'user' } } });
      const center = await dir.groups.create(acct.id, { name: 'support', type: 'call_center', strategy: 'single', endpoints: { [desk.id]: { type: 'device' } } });
      await dir.groups.create(acct.id, { name: 'others', type: 'call_center' });
      expect(sales).toMatchObject({ type: 'ring_group', strategy: 'simultaneous' });
      expect(center).toMatchObject({ type: 'call_center', strategy: 'single' });
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', type: 'queue' }), 'invalid_document', 'type', 'enum');
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', label: 'sales team' }), 'conflict', 'label');
      expect((await dir.groups.findByLabel(acct.id, 'SALES TEAM'))?.id).toBe(sales.id);
      expect((await dir.groups.findByName(acct.id, 'Sales'))?.id).toBe(sales.id);
      expect((await dir.groups.listForUser(acct.id, james.id)).map((g) => g.id).sort()).toEqual([sales.id, center.id].sort());
      expect((await dir.groups.listForUser(acct.id, james.id, { type: 'call_center' })).map((g) => g.id)).toEqual([center.id]);
      await dir.groups.create(acct.id, { name: 'sales' });
      expect(await dir.groups.findByName(acct.id, 'sales')).toBeNull();
      // groups written before they had a type read as ring groups
      const raw = JSON.parse((await harness.store.get(harness.keys.doc(acct.id, 'group', sales.id))) ?? '{}') as Record<string, unknown>;
      const { type: _type, ...untyped } = raw;
      await harness.store.compareAndSet(harness.keys.doc(acct.id, 'group', sales.id), JSON.stringify(raw), JSON.stringify(untyped));
      expect((await dir.groups.get(acct.id, sales.id)).type).toBe('ring_group');
      const patched = await dir.groups.patch(acct.id, sales.id, { type: 'call_center' }, { revision: sales.revision });
      expect(patched.type).toBe('call_center');
      await expectDirectoryError(dir.groups.patch(acct.id, sales.id, { name: 'x' }, { revision: sales.revision }), 'conflict', 'revision');
    });
  });
}
