import { md5Credentials } from '../credentials/hashing';
import { TOKEN_TTL_SECONDS } from './credentials.contract';
import { account, expectDirectoryError, type DirectoryHarness } from './directory-harness';

/** Tokens live only as long as their user, account and every ancestor stay as they were when issued. */
export function sessionContract(h: () => DirectoryHarness): void {
  describe('token lifetime', () => {
    async function userWithToken() {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 's', last_name: 's', username: 'sam', password: 'old', priv_level: 'admin' });
      const token = await dir.credentials.issueToken({ accountId: acct.id, ownerId: user.id, method: 'user_auth' });
      return { dir, acct, user, token };
    }

    it('reads the role from the user on every verification', async () => {
      const { dir, acct, user, token } = await userWithToken();
      expect((await dir.credentials.verifyToken(token)).role).toBe('admin');
      await dir.users.patch(acct.id, user.id, { priv_level: 'user' });
      expect((await dir.credentials.verifyToken(token)).role).toBe('user');
      const key = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      expect((await dir.credentials.verifyToken(key)).role).toBe('admin');
    });

    it('revokes every token of a user whose password is set, and none of others', async () => {
      const { dir, acct, user, token } = await userWithToken();
      const other = await dir.users.create(acct.id, { first_name: 'o', last_name: 'o' });
      const otherToken = await dir.credentials.issueToken({ accountId: acct.id, ownerId: other.id, method: 'user_auth' });
      await dir.users.patch(acct.id, user.id, { first_name: 'renamed' });
      await expect(dir.credentials.verifyToken(token)).resolves.toMatchObject({ ownerId: user.id });
      await dir.users.patch(acct.id, user.id, { password: 'new' });
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      await expect(dir.credentials.verifyToken(otherToken)).resolves.toMatchObject({ ownerId: other.id });
      const fresh = await dir.credentials.issueToken({ accountId: acct.id, ownerId: user.id, method: 'user_auth' });
      await expect(dir.credentials.verifyToken(fresh)).resolves.toMatchObject({ ownerId: user.id });
      expect((await dir.credentials.authenticateUser(acct.realm, md5Credentials('sam', 'new'))).id).toBe(user.id);
    });

    it('kills the tokens of a disabled user for good, and of a deleted one', async () => {
      const { dir, acct, user, token } = await userWithToken();
      await dir.users.patch(acct.id, user.id, { enabled: false });
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      await dir.users.patch(acct.id, user.id, { enabled: true });
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      const again = await dir.credentials.issueToken({ accountId: acct.id, ownerId: user.id, method: 'user_auth' });
      await dir.users.delete(acct.id, user.id);
      await expectDirectoryError(dir.credentials.verifyToken(again), 'unauthorized');
      await dir.credentials.revokeUserTokens(acct.id, user.id);
    });

    it('refuses tokens, API keys and logins below a disabled ancestor', async () => {
      const dir = h().directory;
      const parent = await account(dir);
      const child = await account(dir, parent.id);
      const key = await dir.credentials.createApiKey(child.id);
      await dir.users.create(child.id, { first_name: 'c', last_name: 'c', username: 'kid', password: 'pw' });
      const token = await dir.credentials.issueToken({ accountId: child.id, method: 'api_key' });
      await dir.accounts.patch(parent.id, { enabled: false });
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateApiKey(key), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateUser(child.realm, md5Credentials('kid', 'pw')), 'unauthorized');
      await dir.accounts.patch(parent.id, { enabled: true });
      await expect(dir.credentials.verifyToken(token)).resolves.toMatchObject({ accountId: child.id });
    });

    it('a session outlives its token’s expiry, but not its revocation', async () => {
      const { dir, acct, user, token } = await userWithToken();
      const { claims, session } = await dir.credentials.openSession(token);
      expect(claims).toMatchObject({ accountId: acct.id, ownerId: user.id, role: 'admin' });
      expect(JSON.stringify(session)).not.toContain(token);
      h().clock.advance((TOKEN_TTL_SECONDS + 60) * 1000);
      await expectDirectoryError(dir.credentials.verifyToken(token), 'unauthorized');
      await expect(dir.credentials.verifySession(session)).resolves.toMatchObject({ accountId: acct.id, ownerId: user.id, role: 'admin' });
      await dir.users.patch(acct.id, user.id, { priv_level: 'user' });
      expect((await dir.credentials.verifySession(session)).role).toBe('user');

      const other = await dir.credentials.issueToken({ accountId: acct.id, ownerId: user.id, method: 'user_auth' });
      const opened = await dir.credentials.openSession(other);
      await dir.credentials.revokeToken(other);
      await expectDirectoryError(dir.credentials.verifySession(opened.session), 'unauthorized');
      h().clock.advance((TOKEN_TTL_SECONDS + 60) * 1000);
      await expectDirectoryError(dir.credentials.verifySession(opened.session), 'unauthorized');
      await expect(dir.credentials.verifySession(session)).resolves.toMatchObject({ ownerId: user.id });
    });

    it('a session dies with its user’s tokens, its user and its account tree', async () => {
      const { dir, acct, user, token } = await userWithToken();
      const { session } = await dir.credentials.openSession(token);
      await dir.users.patch(acct.id, user.id, { password: 'changed' });
      await expectDirectoryError(dir.credentials.verifySession(session), 'unauthorized');

      const parent = await account(dir);
      const child = await account(dir, parent.id);
      const kid = await dir.users.create(child.id, { first_name: 'k', last_name: 'k' });
      const keySession = (await dir.credentials.openSession(await dir.credentials.issueToken({ accountId: child.id, method: 'api_key' }))).session;
      const kidSession = (await dir.credentials.openSession(await dir.credentials.issueToken({ accountId: child.id, ownerId: kid.id, method: 'user_auth' }))).session;
      await dir.accounts.patch(parent.id, { enabled: false });
      await expectDirectoryError(dir.credentials.verifySession(keySession), 'unauthorized');
      await dir.accounts.patch(parent.id, { enabled: true });
      await expect(dir.credentials.verifySession(keySession)).resolves.toMatchObject({ accountId: child.id, role: 'admin' });
      await dir.users.patch(child.id, kid.id, { enabled: false });
      await expectDirectoryError(dir.credentials.verifySession(kidSession), 'unauthorized');
      await dir.accounts.delete(child.id);
      await expectDirectoryError(dir.credentials.verifySession(keySession), 'unauthorized');
    });
  });
}
