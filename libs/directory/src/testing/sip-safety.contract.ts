import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

const gw = { server: 'sip.example.com' };

/** Stored fields that end up in SIP, and user-supplied patterns: refused at write time by both drivers. */
export function sipSafetyContract(h: () => DirectoryHarness): void {
  describe('SIP-bound fields and patterns', () => {
    it('refuses caller ids that would inject header lines or break a name-addr, and keeps printable names', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const sip = () => ({ username: uniq('d'), password: 'p' });
      const injected = { external: { name: 'Boss\r\nX-Injected: yes', number: '+14155550100' } };
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'd', sip: sip(), caller_id: injected }), 'invalid_document', 'caller_id.external.name', 'format');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'd', sip: sip(), caller_id: { internal: { number: '2000>' } } }), 'invalid_document', 'caller_id.internal.number', 'format');
      await expectDirectoryError(dir.users.create(acct.id, { first_name: 'a', last_name: 'b', caller_id: injected }), 'invalid_document', 'caller_id.external.name', 'format');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'd', sip: { username: 'desk<1>', password: 'p' } }), 'invalid_document', 'sip.username', 'format');
      await expectDirectoryError(dir.devices.create(acct.id, { name: 'd', sip: { ...sip(), invite_format: 'route', route: 'sip:a@b>' } }), 'invalid_document', 'sip.route', 'format');
      const ok = await dir.devices.create(acct.id, { name: 'd', sip: sip(), caller_id: { external: { name: 'Zoë "Z" \\ <boss>', number: '+14155550100' } } });
      expect(ok.caller_id?.external?.name).toBe('Zoë "Z" \\ <boss>');
    });

    it('refuses carrier gateway fields that reach the Request-URI or the Authorization header', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'c', gateways: [{ ...gw, prefix: '1>' }] }), 'invalid_document', 'gateways.0.prefix', 'format');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'c', gateways: [{ ...gw, suffix: ';x=1' }] }), 'invalid_document', 'gateways.0.suffix', 'format');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'c', gateways: [{ ...gw, username: 'u", realm="evil' }] }), 'invalid_document', 'gateways.0.username', 'format');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'c', gateways: [{ ...gw, realm: 'a>b' }] }), 'invalid_document', 'gateways.0.realm', 'format');
      await expect(dir.resources.create(acct.id, { name: 'c', gateways: [{ ...gw, prefix: '+', suffix: '', username: 'trunk@carrier.example' }] })).resolves.toMatchObject({ gateways: [{ prefix: '+' }] });
    });

    it('runs resource rules on RE2: a catastrophic pattern still matches correctly, RE2-only syntax is refused', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const redos = await dir.resources.create(acct.id, { name: 'redos', gateways: [gw], rules: ['^(\\+|\\d|\\d)*x$', '^\\+44(\\d+)+$'] });
      // catastrophic for a backtracking engine on a long non-matching input; linear on RE2
      expect((await dir.resources.matchResource(acct.id, '+441234567890')).map((r) => r.id)).toEqual([redos.id]);
      expect(await dir.resources.matchResource(acct.id, `+1${'9'.repeat(40)}`)).toEqual([]);
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [gw], rules: ['(?=\\+1)\\+1'] }), 'invalid_document', 'rules.0', 'pattern');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [gw], rules: ['(\\d)\\1'] }), 'invalid_document', 'rules.0', 'pattern');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [gw], rules: ['1'.repeat(257)] }), 'invalid_document', 'rules.0', 'pattern');
    });

    it('stores outbound rules and a country on the account, narrower rules on users, and names bad ones', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const outbound = { deny_classes: ['premium_rate', 'toll_free'], allow_international: false, allow_patterns: ['^\\+1'], caller_id_numbers: ['+14155550100', '^\\+1415555\\d{4}$'] };
      const patched = await dir.accounts.patch(acct.id, { country: 'us', outbound });
      expect(patched).toMatchObject({ country: 'US', outbound });
      expect(await dir.accounts.get(acct.id)).toMatchObject({ country: 'US', outbound });
      await expectDirectoryError(dir.accounts.patch(acct.id, { country: 'USA' }), 'invalid_document', 'country', 'format');
      await expectDirectoryError(dir.accounts.patch(acct.id, { country: 'EU' }), 'invalid_document', 'country', 'format');
      await expectDirectoryError(dir.accounts.patch(acct.id, { outbound: { deny_classes: ['premium'] } }), 'invalid_document', 'outbound.deny_classes.0', 'enum');
      await expectDirectoryError(dir.accounts.patch(acct.id, { outbound: { deny_patterns: ['(a)\\1'] } }), 'invalid_document', 'outbound.deny_patterns.0', 'pattern');
      await expectDirectoryError(dir.accounts.patch(acct.id, { outbound: { caller_id_numbers: ['+1415<'] } }), 'invalid_document', 'outbound.caller_id_numbers.0', 'pattern');
      const user = await dir.users.create(acct.id, { first_name: 'a', last_name: 'b', outbound: { deny_classes: ['mobile'] } });
      expect((await dir.users.get(acct.id, user.id)).outbound).toEqual({ deny_classes: ['mobile'] });
      // caller-id numbers are the account's to grant, not a user's
      const withNumbers = await dir.users.patch(acct.id, user.id, { outbound: { caller_id_numbers: ['+19005550100'] } });
      expect(withNumbers.outbound).toEqual({ deny_classes: ['mobile'] });
    });
  });
}
