import { createHash } from 'node:crypto';
import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

const ha1 = (algorithm: 'md5' | 'sha256', username: string, realm: string, password: string) => createHash(algorithm).update(`${username}:${realm}:${password}`).digest('hex');

/** Device SIP passwords are write-only: digest HA1s at rest, nothing secret in what the repo returns. */
export function deviceSecretsContract(h: () => DirectoryHarness): void {
  describe('device SIP credentials', () => {
    it('keeps no clear SIP password at rest, only the HA1s digest needs', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const username = uniq('vault');
      const password = `Clear-${uniq('pw')}`;
      const device = await dir.devices.create(acct.id, { name: 'vault', sip: { username, password } });
      const renewed = `Clear-${uniq('pw')}`;
      await dir.devices.patch(acct.id, device.id, { sip: { password: renewed } });
      const atRest = (await h().dump()).join('\n');
      expect(atRest).toContain(username);
      expect(atRest).not.toContain(password);
      expect(atRest).not.toContain(renewed);
      expect(await dir.devices.findSipCredentials(username, acct.realm)).toEqual({
        device: await dir.devices.get(acct.id, device.id),
        ha1: { realm: acct.realm, md5: ha1('md5', username, acct.realm, renewed), sha256: ha1('sha256', username, acct.realm, renewed) },
      });
      expect(await dir.devices.findSipCredentials(uniq('nobody'), acct.realm)).toBeNull();
    });

    it('returns neither the password nor the HA1s from any read or write', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const username = uniq('quiet');
      const created = await dir.devices.create(acct.id, { name: 'quiet', sip: { username, password: 'hush-hush' } });
      const views = [
        created,
        await dir.devices.get(acct.id, created.id),
        await dir.devices.find(acct.id, created.id),
        await dir.devices.findBySip(username, acct.realm),
        ...(await dir.devices.list(acct.id)),
        await dir.devices.patch(acct.id, created.id, { name: 'quieter' }),
        await dir.devices.replace(acct.id, created.id, { name: 'quietest', sip: { username } }),
      ];
      const secrets = ['hush-hush', ha1('md5', username, acct.realm, 'hush-hush'), ha1('sha256', username, acct.realm, 'hush-hush')];
      for (const view of views) {
        expect(view?.sip).not.toHaveProperty('password');
        for (const secret of secrets) expect(JSON.stringify(view)).not.toContain(secret);
      }
      // a write without a password keeps the credentials it had
      const kept = await dir.devices.findSipCredentials(username, acct.realm);
      expect(kept?.ha1.md5).toBe(ha1('md5', username, acct.realm, 'hush-hush'));
    });

    it('asks for the password again when the SIP username changes, since the HA1s depend on it', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const device = await dir.devices.create(acct.id, { name: 'mover', sip: { username: uniq('mover'), password: 'pw' } });
      await expectDirectoryError(dir.devices.patch(acct.id, device.id, { sip: { username: uniq('moved') } }), 'invalid_document', 'sip.password', 'required');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'x', sip: { username: uniq('nopw') } }), 'invalid_document', 'sip.password', 'required');
      // the realm itself never moves: a device's realm is its own account's
      const other = await account(dir);
      await expectDirectoryError(dir.devices.patch(acct.id, device.id, { sip: { realm: other.realm } }), 'invalid_document', 'sip.realm', 'enum');
      const renamed = uniq('moved');
      await dir.devices.patch(acct.id, device.id, { sip: { username: renamed, password: 'pw2' } });
      expect((await dir.devices.findSipCredentials(renamed, acct.realm))?.ha1.sha256).toBe(ha1('sha256', renamed, acct.realm, 'pw2'));
    });

    it('refuses to change the realm of an account that has devices, naming realm', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const device = await dir.devices.create(acct.id, { name: 'anchor', sip: { username: uniq('anchor'), password: 'pw' } });
      const moved = `${uniq('moved')}.legwork.local`;
      await expectDirectoryError(dir.accounts.patch(acct.id, { realm: moved }), 'invalid_document', 'realm', 'immutable');
      await expect(dir.accounts.patch(acct.id, { name: uniq('renamed') })).resolves.toMatchObject({ realm: acct.realm });
      await dir.devices.delete(acct.id, device.id);
      await expect(dir.accounts.patch(acct.id, { realm: moved })).resolves.toMatchObject({ realm: moved });
    });
  });
}
