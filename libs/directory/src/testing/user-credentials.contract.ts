import { createHash } from 'node:crypto';
import { account, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

const digest = (algorithm: 'md5' | 'sha1', username: string, password: string): string => createHash(algorithm).update(`${username}:${password}`).digest('hex');

/** Every string a dump holds that could be sent as user_auth credentials (32 or 40 hex): each hex run, and the head and tail of longer ones. */
export function credentialCandidates(dump: string[]): string[] {
  const found = new Set<string>();
  for (const entry of dump) {
    for (const run of entry.match(/[0-9a-fA-F]{32,}/g) ?? []) {
      for (const size of [32, 40]) if (run.length >= size) found.add(run.slice(0, size)).add(run.slice(-size));
    }
  }
  return [...found];
}

/** Writes a user document the way versions before salted hashes did: an unsalted md5 and an index keyed by it. */
async function legacyUser(h: DirectoryHarness, accountId: string, username: string, password: string): Promise<string> {
  const user = await h.directory.users.create(accountId, { first_name: 'old', last_name: 'timer', username });
  const key = h.keys.doc(accountId, 'user', user.id);
  const raw = (await h.store.get(key)) ?? '';
  const md5 = digest('md5', username, password);
  await h.store.compareAndSet(key, raw, JSON.stringify({ ...JSON.parse(raw), pvt_md5_auth: md5 }));
  await h.store.hset(h.keys.md5Index(accountId), md5, user.id);
  return user.id;
}

export function userCredentialsContract(h: () => DirectoryHarness): void {
  describe('user credentials at rest', () => {
    it('a dump of the store logs nobody in: every value found, tried as md5 and sha credentials, is refused', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const username = uniq('dumped');
      const password = uniq('pw');
      const user = await dir.users.create(acct.id, { first_name: 'd', last_name: 'd', username, password });
      expect((await dir.credentials.authenticateUser(acct.name, digest('md5', username, password))).id).toBe(user.id);
      const candidates = credentialCandidates(await harness.dump());
      expect(candidates.length).toBeGreaterThan(0);
      for (const candidate of candidates) {
        await expectDirectoryError(dir.credentials.authenticateUser(acct.name, candidate), 'unauthorized');
        await expectDirectoryError(dir.credentials.authenticateUser(acct.name, candidate, 'sha'), 'unauthorized');
      }
    });

    it('logs in with md5 or sha1 of "username:password" (Kazoo methods md5 and sha), each checked against its own hash', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 's', last_name: 's', username: 'sasha', password: 'open sesame' });
      expect((await dir.credentials.authenticateUser(acct.name, digest('sha1', 'sasha', 'open sesame'), 'sha')).id).toBe(user.id);
      expect((await dir.credentials.authenticateUser(acct.realm, digest('md5', 'sasha', 'open sesame'), 'md5')).id).toBe(user.id);
      // A credential only logs in through its own method.
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('md5', 'sasha', 'open sesame'), 'sha'), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('sha1', 'sasha', 'open sesame')), 'unauthorized');
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('sha1', 'sasha', 'wrong'), 'sha'), 'unauthorized');
      await dir.users.patch(acct.id, user.id, { password: 'new one' });
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('sha1', 'sasha', 'open sesame'), 'sha'), 'unauthorized');
      expect((await dir.credentials.authenticateUser(acct.name, digest('sha1', 'sasha', 'new one'), 'sha')).id).toBe(user.id);
      await dir.users.delete(acct.id, user.id);
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('md5', 'sasha', 'new one')), 'unauthorized');
    });

    it('keeps only salted slow hashes: the same password in two accounts leaves no common value at rest', async () => {
      const harness = h();
      const a = await account(harness.directory);
      const b = await account(harness.directory);
      const ua = await harness.directory.users.create(a.id, { first_name: 'x', last_name: 'x', username: 'twin', password: 'same' });
      const ub = await harness.directory.users.create(b.id, { first_name: 'x', last_name: 'x', username: 'twin', password: 'same' });
      const docA = (await harness.store.get(harness.keys.doc(a.id, 'user', ua.id))) ?? '';
      const docB = (await harness.store.get(harness.keys.doc(b.id, 'user', ub.id))) ?? '';
      const hashes = (doc: string): string[] => doc.match(/\$scrypt\$[^"]+/g) ?? [];
      expect(hashes(docA)).toHaveLength(2);
      expect(hashes(docA)[0]).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(hashes(docA).some((x) => hashes(docB).includes(x))).toBe(false);
      const md5 = digest('md5', 'twin', 'same');
      expect((await harness.dump()).some((entry) => entry.includes(md5))).toBe(false);
    });

    it('migrates a legacy md5 user on its first login; until its password is set again it has no sha credentials', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const username = uniq('legacy');
      const id = await legacyUser(harness, acct.id, username, 'old pass');
      const md5 = digest('md5', username, 'old pass');
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('md5', username, 'nope')), 'unauthorized');
      expect((await dir.credentials.authenticateUser(acct.name, md5)).id).toBe(id);
      expect((await harness.dump()).some((entry) => entry.includes(md5))).toBe(false);
      expect((await dir.credentials.authenticateUser(acct.name, md5)).id).toBe(id);
      await expectDirectoryError(dir.credentials.authenticateUser(acct.name, digest('sha1', username, 'old pass'), 'sha'), 'unauthorized');
      const user = await dir.users.get(acct.id, id);
      expect(user).not.toHaveProperty('pvt_md5_auth');
      expect(user).not.toHaveProperty('pvt_credentials');
    });

    it('secrets.rotate() migrates legacy md5 users without waiting for them to log in', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const username = uniq('sleeper');
      const id = await legacyUser(harness, acct.id, username, 'zzz');
      const md5 = digest('md5', username, 'zzz');
      const report = await dir.secrets.rotate();
      expect(report.usersMigrated).toBeGreaterThanOrEqual(1);
      expect((await harness.dump()).some((entry) => entry.includes(md5))).toBe(false);
      expect((await dir.credentials.authenticateUser(acct.name, md5)).id).toBe(id);
    });
  });
}
