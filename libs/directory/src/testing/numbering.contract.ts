import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

let digits = 0;
/** Digits no other test of the run uses (prefixes and DIDs are unique platform-wide; each run has its own store). */
function uniqDigits(width: number): string {
  digits += 1;
  return String(digits).padStart(width, '0');
}

const sip = () => ({ username: uniq('d'), password: 'p' });

/** Extensions, extension prefixes and DIDs: one namespace per account, prefixes and DIDs platform-wide. */
export function numberingContract(h: () => DirectoryHarness): void {
  describe('numbering plan: extensions', () => {
    it('keeps an extension unique in the account across users, devices and groups, and not across accounts', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const other = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'a', last_name: 'b', extension: '210' });
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'd', sip: sip(), extension: '210' }), 'conflict', 'extension');
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', extension: ' 210 ' }), 'conflict', 'extension');
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'c', last_name: 'd', extension: '210' }), 'conflict', 'extension');
      await expect(dir.devices.create(other.id, { name: 'd', sip: sip(), extension: '210' })).resolves.toMatchObject({ extension: '210' });
      const device = await dir.devices.create(acct.id, { name: 'd', sip: sip(), extension: '211' });
      const group = await dir.groups.create(acct.id, { name: 'g', extension: '00' });
      expect((await dir.users.findByExtension(acct.id, '210'))?.id).toBe(user.id);
      expect((await dir.devices.findByExtension(acct.id, '211'))?.id).toBe(device.id);
      expect((await dir.groups.findByExtension(acct.id, '00'))?.id).toBe(group.id);
      // each repo answers only for its own kind
      expect(await dir.devices.findByExtension(acct.id, '210')).toBeNull();
      expect(await dir.users.findByExtension(acct.id, '211')).toBeNull();
      expect(await dir.numbering.findExtension(acct.id, '211')).toMatchObject({ kind: 'device', accountId: acct.id, extension: '211', device: { id: device.id } });
      expect(await dir.numbering.findExtension(acct.id, '212')).toBeNull();
      // moved and deleted extensions are free again
      await dir.users.patch(acct.id, user.id, { extension: '212' });
      expect(await dir.users.findByExtension(acct.id, '210')).toBeNull();
      await expect(dir.groups.patch(acct.id, group.id, { extension: '210' })).resolves.toMatchObject({ extension: '210' });
      await dir.devices.delete(acct.id, device.id);
      await expect(dir.users.create(acct.id, { first_name: 'e', last_name: 'f', extension: '211' })).resolves.toMatchObject({ extension: '211' });
      await dir.users.patch(acct.id, user.id, { extension: null });
      expect(await dir.numbering.findExtension(acct.id, '212')).toBeNull();
    });

    it('lets exactly one of 20 parallel creates of one extension succeed, whatever the kinds', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const creates = Array.from({ length: 20 }, (_, i) => {
        if (i % 3 === 0) return dir.users.create(acct.id, { first_name: `u${i}`, last_name: 'x', extension: '4242' });
        if (i % 3 === 1) return dir.devices.create(acct.id, { name: `d${i}`, sip: sip(), extension: '4242' });
        return dir.groups.create(acct.id, { name: `g${i}`, extension: '4242' });
      });
      const results = await Promise.allSettled(creates);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict', details: { field: 'extension' } });
      const docs = [...(await dir.users.list(acct.id)), ...(await dir.devices.list(acct.id)), ...(await dir.groups.list(acct.id))];
      expect(docs).toHaveLength(1);
      expect((await dir.numbering.findExtension(acct.id, '4242'))?.accountId).toBe(acct.id);
    });

    it('refuses extensions that are not short digit strings, where they are written and where they are looked up', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      for (const bad of ['21 0', '210>', '２１０', '0003*210', '', '1'.repeat(17), '210\r\nX: y']) {
        await expectDirectoryError(dir.users.create(acct.id, { first_name: 'a', last_name: 'b', extension: bad }), 'invalid_document', 'extension');
        await expectDirectoryError(dir.devices.create(acct.id, { name: 'd', sip: sip(), extension: bad }), 'invalid_document', 'extension');
      }
      await expectDirectoryError(dir.groups.create(acct.id, { name: 'g', extension: 210 }), 'invalid_document', 'extension', 'type');
      await dir.users.create(acct.id, { first_name: 'a', last_name: 'b', extension: '7' });
      expect(await dir.numbering.findExtension(acct.id, ' 7 ')).toMatchObject({ kind: 'user', extension: '7' });
      for (const bad of ['*7', '7*', 'x', '07', '7\r\n8']) expect([bad, await dir.numbering.findExtension(acct.id, bad)]).toEqual([bad, null]);
    });
  });

  describe('numbering plan: extended numbers', () => {
    it('resolves PREFIX*EXT to the prefixed account, from that account or above it, never from another tree', async () => {
      const dir = h().directory;
      const parent = await account(dir);
      const prefix = uniqDigits(4);
      const acct = await dir.accounts.create({ name: uniq('pfx'), realm: `${uniq('pfx')}.local`, extension_prefix: prefix }, parent.id);
      const sibling = await account(dir, parent.id);
      const device = await dir.devices.create(acct.id, { name: 'desk', sip: sip(), extension: '210' });
      expect((await dir.accounts.findByExtensionPrefix(prefix))?.id).toBe(acct.id);
      expect(await dir.numbering.findExtension(acct.id, `${prefix}*210`)).toMatchObject({ kind: 'device', accountId: acct.id, device: { id: device.id } });
      expect(await dir.numbering.findExtension(parent.id, `${prefix}*210`)).toMatchObject({ kind: 'device', accountId: acct.id });
      expect(await dir.numbering.findExtension(sibling.id, `${prefix}*210`)).toBeNull();
      expect(await dir.numbering.findExtended(`${prefix}*210`)).toMatchObject({ kind: 'device', accountId: acct.id });
      expect(await dir.numbering.findExtended('210')).toBeNull();
      expect(await dir.numbering.findExtension(acct.id, `${prefix}*211`)).toBeNull();
      expect(await dir.numbering.findExtension(acct.id, `${prefix}**210`)).toBeNull();
      expect(await dir.numbering.findExtension(acct.id, `9${prefix}*210`)).toBeNull();
    });

    it('keeps extension prefixes unique platform-wide, digits only, freed on change and deletion', async () => {
      const dir = h().directory;
      const prefix = uniqDigits(5);
      const a = await dir.accounts.create({ name: uniq('p'), realm: `${uniq('p')}.local`, extension_prefix: prefix });
      const b = await account(dir);
      await expectDirectoryError(dir.accounts.patch(b.id, { extension_prefix: prefix }), 'conflict', 'extension_prefix');
      for (const bad of ['ab', '00 3', '0003*', '123456789', '']) await expectDirectoryError(dir.accounts.patch(b.id, { extension_prefix: bad }), 'invalid_document', 'extension_prefix', 'format');
      const moved = uniqDigits(5);
      await dir.accounts.patch(a.id, { extension_prefix: moved });
      expect(await dir.accounts.findByExtensionPrefix(prefix)).toBeNull();
      await expect(dir.accounts.patch(b.id, { extension_prefix: prefix })).resolves.toMatchObject({ extension_prefix: prefix });
      await dir.accounts.delete(a.id);
      expect(await dir.accounts.findByExtensionPrefix(moved)).toBeNull();
      expect(await dir.accounts.findByExtensionPrefix('x')).toBeNull();
    });
  });

  describe('numbering plan: DIDs', () => {
    it("stores DIDs in E.164, reading national numbers in the account's country", async () => {
      const dir = h().directory;
      const jp = await dir.accounts.create({ name: uniq('jp'), realm: `${uniq('jp')}.local`, country: 'JP' });
      const user = await dir.users.create(jp.id, { first_name: 'a', last_name: 'b', dids: ['0312341234', '+81 3-1234-1235', '81312341234'] });
      expect(user.dids).toEqual(['+81312341234', '+81312341235']);
      const group = await dir.groups.create(jp.id, { name: 'sales', dids: ['03 1234 1236'] });
      expect(group.dids).toEqual(['+81312341236']);
      expect((await dir.users.findByDid(jp.id, '03-1234-1234'))?.id).toBe(user.id);
      expect((await dir.groups.findByDid(jp.id, '+81312341236'))?.id).toBe(group.id);
      expect(await dir.users.findByDid(jp.id, '+81312341236')).toBeNull();
      expect(await dir.numbering.findDid('+81312341235')).toMatchObject({ kind: 'user', accountId: jp.id, e164: '+81312341235', user: { id: user.id } });
      expect(await dir.numbering.findDid('0312341236', { country: 'JP' })).toMatchObject({ kind: 'group', group: { id: group.id } });
      expect(await dir.numbering.findDid('0312341236')).toBeNull();
      const nowhere = await account(dir);
      await expectDirectoryError(dir.users.create(nowhere.id, { first_name: 'a', last_name: 'b', dids: ['0312341299'] }), 'invalid_document', 'dids.0', 'format');
      const err = await expectDirectoryError(dir.users.create(jp.id, { first_name: 'a', last_name: 'b', dids: ['+81312341299', '12', '0312'] }), 'invalid_document');
      expect(err.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['dids.1:format', 'dids.2:format']);
      await expectDirectoryError(dir.users.create(jp.id, { first_name: 'a', last_name: 'b', dids: ['+8131234abcd'] }), 'invalid_document', 'dids.0', 'format');
      await expectDirectoryError(dir.users.create(jp.id, { first_name: 'a', last_name: 'b', dids: ['+81312341299>'] }), 'invalid_document', 'dids.0', 'format');
      await expectDirectoryError(dir.groups.create(jp.id, { name: 'g', dids: Array.from({ length: 51 }, (_, i) => `+8131234${String(i).padStart(4, '0')}`) }), 'invalid_document', 'dids', 'maxLength');
    });

    it('keeps DIDs unique platform-wide across users and groups, and frees only the numbers a write drops', async () => {
      const dir = h().directory;
      const a = await account(dir);
      const b = await account(dir);
      const did = `+1415555${uniqDigits(4)}`;
      const kept = `+1628555${uniqDigits(4)}`;
      const user = await dir.users.create(a.id, { first_name: 'a', last_name: 'b', dids: [did, kept] });
      await expectDirectoryError(dir.users.create(b.id, { first_name: 'c', last_name: 'd', dids: [did] }), 'conflict', 'dids');
      await expectDirectoryError(dir.groups.create(a.id, { name: 'g', dids: [kept] }), 'conflict', 'dids');
      await dir.users.patch(a.id, user.id, { dids: [kept] });
      expect(await dir.numbering.findDid(kept)).toMatchObject({ kind: 'user', user: { id: user.id } });
      await expectDirectoryError(dir.groups.create(b.id, { name: 'g', dids: [kept] }), 'conflict', 'dids');
      const group = await dir.groups.create(b.id, { name: 'g', dids: [did] });
      expect(await dir.numbering.findDid(did)).toMatchObject({ kind: 'group', accountId: b.id, group: { id: group.id } });
      expect(await dir.users.findByDid(a.id, did)).toBeNull();
      await dir.users.delete(a.id, user.id);
      expect(await dir.numbering.findDid(kept)).toBeNull();
    });

    it('lets exactly one of 20 parallel claims of one DID succeed, across accounts', async () => {
      const dir = h().directory;
      const accounts = [await account(dir), await account(dir)];
      const did = `+1917555${uniqDigits(4)}`;
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => {
          const acct = accounts[i % 2]?.id ?? '';
          return i % 4 < 2 ? dir.users.create(acct, { first_name: `u${i}`, last_name: 'x', dids: [did] }) : dir.groups.create(acct, { name: `g${i}`, dids: [did] });
        }),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict', details: { field: 'dids' } });
      expect(await dir.numbering.findDid(did)).not.toBeNull();
    });

    it('frees an account’s DIDs, prefix and extensions when the account is deleted', async () => {
      const dir = h().directory;
      const prefix = uniqDigits(6);
      const did = `+1212555${uniqDigits(4)}`;
      const acct = await dir.accounts.create({ name: uniq('gone'), realm: `${uniq('gone')}.local`, extension_prefix: prefix });
      await dir.users.create(acct.id, { first_name: 'a', last_name: 'b', extension: '100', dids: [did] });
      await dir.accounts.delete(acct.id);
      expect(await dir.numbering.findDid(did)).toBeNull();
      expect(await dir.numbering.findExtended(`${prefix}*100`)).toBeNull();
      const again = await dir.accounts.create({ name: uniq('again'), realm: `${uniq('again')}.local`, extension_prefix: prefix });
      await expect(dir.users.create(again.id, { first_name: 'a', last_name: 'b', extension: '100', dids: [did] })).resolves.toMatchObject({ dids: [did] });
    });
  });
}
