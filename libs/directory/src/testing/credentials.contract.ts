import { md5Credentials, sha1Credentials, sha256Hex } from '../credentials/hashing';
import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

export const TOKEN_TTL_SECONDS = 600;

export function credentialContract(h: () => DirectoryHarness): void {
  describe('credentials', () => {
    it('creates, authenticates and revokes API keys', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const key = await dir.credentials.createApiKey(acct.id);
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect((await dir.credentials.authenticateApiKey(key)).id).toBe(acct.id);
      expect((await dir.credentials.authenticateApiKey(key.toUpperCase())).id).toBe(acct.id);
      const second = await dir.credentials.createApiKey(acct.id);
      expect(second).not.toBe(key);
      await dir.credentials.revokeApiKey(acct.id, key);
      await expectDirectoryError(dir.credentials.authenticateApiKey(key), 'unauthorized');
      expect((await dir.credentials.authenticateApiKey(second)).id).toBe(acct.id);
      await expectDirectoryError(dir.credentials.authenticateApiKey('f'.repeat(64)), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateApiKey('short'), 'unauthorized');
      await expectDirectoryError(dir.credentials.createApiKey('a'.repeat(32)), 'not_found');
    });

    it('binds a fixed bootstrap key to one account only', async () => {
      const dir = h().directory;
      const a = await account(dir);
      const b = await account(dir);
      const fixed = sha256Hex(uniq('bootstrap'));
      await dir.credentials.setApiKey(a.id, fixed);
      await dir.credentials.setApiKey(a.id, fixed);
      await expectDirectoryError(dir.credentials.setApiKey(b.id, fixed), 'conflict', 'api_key');
      await expectDirectoryError(dir.credentials.setApiKey(b.id, 'not-hex'), 'invalid_document', 'api_key', 'format');
      expect((await dir.credentials.authenticateApiKey(fixed)).id).toBe(a.id);
      await dir.accounts.patch(a.id, { enabled: false });
      await expectDirectoryError(dir.credentials.authenticateApiKey(fixed), 'unauthorized');
    });

    it('issues url-safe tokens that verify until they expire', async () => {
      const { directory: dir, clock } = h();
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 't', last_name: 't' });
      const token = await dir.credentials.issueToken({ accountId: acct.id, ownerId: user.id, method: 'user_auth' });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      await expect(dir.credentials.verifyToken(token)).resolves.toEqual({
        accountId: acct.id,
        ownerId: user.id,
        method: 'user_auth',
        expiresAt: clock.now() + TOKEN_TTL_SECONDS * 1000,
        role: 'user',
      });
      const apiToken = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      expect((await dir.credentials.verifyToken(apiToken)).ownerId).toBeUndefined();
      clock.advance(TOKEN_TTL_SECONDS * 1000 - 1);
      await expect(dir.credentials.verifyToken(token)).resolves.toMatchObject({ accountId: acct.id });
      clock.advance(1);
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      await expectDirectoryError(dir.credentials.issueToken({ accountId: acct.id, ownerId: 'e'.repeat(32), method: 'user_auth' }), 'not_found');
    });

    it('reads the token account tree through the caller-given reader, still refusing a disabled one', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const token = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      const asked: string[] = [];
      const findAccount = async (id: string) => (asked.push(id), dir.accounts.find(id));
      await expect(dir.credentials.verifyToken(token, { findAccount })).resolves.toMatchObject({ accountId: acct.id, role: 'admin' });
      expect(asked).toEqual([acct.id]);
      await expectDirectoryError(dir.credentials.verifyToken(token, { findAccount: async (id) => ({ ...(await dir.accounts.get(id)), enabled: false }) }), 'unauthorized');
      await expectDirectoryError(dir.credentials.verifyToken(token, { findAccount: async () => null }), 'unauthorized');
    });

    it('revokes tokens and rejects unknown ones', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const token = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      await dir.credentials.revokeToken(token);
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      await expectDirectoryError(dir.credentials.verifyToken('x'.repeat(43)), 'unauthorized');
      await expectDirectoryError(dir.credentials.verifyToken(''), 'unauthorized');
    });

    it('authenticates users by account name or realm and md5 credentials', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'u', last_name: 'u', username: 'erin', password: 'correct horse' });
      const md5 = md5Credentials('erin', 'correct horse');
      expect((await dir.credentials.authenticateUser(acct.name, md5)).id).toBe(user.id);
      expect((await dir.credentials.authenticateUser(acct.realm, md5)).id).toBe(user.id);
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, md5Credentials('erin', 'wrong')), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateUser(uniq('nobody'), md5), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, 'not-an-md5'), 'unauthorized');
      await dir.users.patch(acct.id, user.id, { enabled: false });
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, md5), 'unauthorized');
    });

    it('finds the account of a user_auth phone_number through its DIDs, then falls back to realm and name', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const did = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`;
      const user = await dir.users.create(acct.id, { first_name: 'p', last_name: 'p', username: 'pat', password: 'by number', dids: [did] });
      const sha = sha1Credentials('pat', 'by number');
      expect((await dir.credentials.authenticateUser({ phoneNumber: did }, sha, 'sha')).id).toBe(user.id);
      expect((await dir.credentials.authenticateUser({ phoneNumber: did }, md5Credentials('pat', 'by number'))).id).toBe(user.id);
      await expectDirectoryError(dir.credentials.authenticateUser({ phoneNumber: did }, sha1Credentials('pat', 'wrong'), 'sha'), 'unauthorized');
      // an unknown number is no match: cb_user_auth goes on with the realm, then the name
      expect((await dir.credentials.authenticateUser({ phoneNumber: '+14155550000', realm: acct.realm }, sha, 'sha')).id).toBe(user.id);
      await expectDirectoryError(dir.credentials.authenticateUser({ phoneNumber: '+14155550000' }, sha, 'sha'), 'unauthorized');
    });

    it('authorizes access to the own account and sub-accounts only', async () => {
      const dir = h().directory;
      const parent = await account(dir);
      const child = await account(dir, parent.id);
      await expect(dir.credentials.authorize({ accountId: parent.id }, child.id)).resolves.toBeUndefined();
      await expectDirectoryError(dir.credentials.authorize({ accountId: child.id }, parent.id), 'forbidden');
    });

    it('keeps keys, tokens and passwords hashed at rest', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const key = await dir.credentials.createApiKey(acct.id);
      const token = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      const password = uniq('pass-phrase');
      await dir.users.create(acct.id, { first_name: 'h', last_name: 'h', username: 'hashed', password });
      const atRest = (await harness.dump()).join('\n');
      expect(atRest).toContain(sha256Hex(key));
      expect(atRest).toContain(sha256Hex(token));
      expect(atRest).not.toContain(key);
      expect(atRest).not.toContain(token);
      expect(atRest).not.toContain(password);
    });

    it('deleting an account forgets its keys, tokens, devices and names', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const key = await dir.credentials.createApiKey(acct.id);
      const token = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      const user = await dir.users.create(acct.id, { first_name: 'z', last_name: 'z', username: 'zed' });
      const device = await dir.devices.create(acct.id, { name: 'z', owner_id: user.id, sip: { username: uniq('z'), password: 'p' } });
      await dir.accounts.delete(acct.id);
      await expectDirectoryError(dir.credentials.authenticateApiKey(key), 'unauthorized');
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      expect(await dir.devices.findBySip(device.sip.username, acct.realm)).toBeNull();
      expect(await dir.accounts.findByRealm(acct.realm)).toBeNull();
      await expectDirectoryError(dir.users.list(acct.id), 'not_found');
      const again = await dir.accounts.create({ name: acct.name, realm: acct.realm });
      await expect(dir.devices.create(again.id, { name: 'z', sip: { username: device.sip.username, password: 'p' } })).resolves.toBeDefined();
    });
  });
}
