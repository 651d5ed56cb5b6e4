import { createHash } from 'node:crypto';
import { account, CONTRACT_KEYS, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

const carrier = (password: string) => ({ name: 'carrier', gateways: [{ server: 'sip.carrier.example', realm: 'carrier.example', username: 'acme', password }], rules: ['^\\+1\\d{10}$'] });
const hookDoc = { name: 'crm', uri: 'https://crm.example.com/hooks', hook: 'all' };
const md5 = (username: string, password: string): string => createHash('md5').update(`${username}:${password}`).digest('hex');

/** Replaces a stored document's JSON in place (what an earlier version, or an attacker with the store, left there). */
async function rewriteRaw(h: DirectoryHarness, key: string, edit: (doc: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const raw = (await h.store.get(key)) ?? '';
  await h.store.compareAndSet(key, raw, JSON.stringify(edit(JSON.parse(raw) as Record<string, unknown>)));
}

export function secretsContract(h: () => DirectoryHarness): void {
  describe('recoverable secrets at rest', () => {
    it('keeps trunk passwords encrypted at rest and gives them in clear to matchResource and reads', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const password = uniq('trunk-pass');
      const res = await dir.resources.create(acct.id, carrier(password));
      expect(res.gateways[0]?.password).toBe(password);
      const stored = (await harness.store.get(harness.keys.doc(acct.id, 'resource', res.id))) ?? '';
      expect(stored).not.toContain(password);
      expect(stored).toMatch(/"password":"enc:v1:k0:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+"/);
      expect((await harness.dump()).some((entry) => entry.includes(password))).toBe(false);
      expect((await dir.resources.matchResource(acct.id, '+14155550100'))[0]?.gateways[0]?.password).toBe(password);
      expect((await dir.resources.get(acct.id, res.id)).gateways[0]?.password).toBe(password);
      const patched = await dir.resources.patch(acct.id, res.id, { weight_cost: 5 });
      expect(patched.gateways[0]?.password).toBe(password);
      expect((await dir.resources.list(acct.id))[0]?.gateways[0]?.password).toBe(password);
      expect((await harness.dump()).some((entry) => entry.includes(password))).toBe(false);
    });

    it('keeps webhook secrets encrypted at rest and gives them in clear to find and list', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
      expect((await harness.dump()).some((entry) => entry.includes(hook.secret))).toBe(false);
      expect((await dir.webhooks.find(acct.id, hook.id))?.secret).toBe(hook.secret);
      expect((await dir.webhooks.list(acct.id))[0]?.secret).toBe(hook.secret);
      expect((await dir.webhooks.patch(acct.id, hook.id, { name: 'renamed' })).secret).toBe(hook.secret);
      expect((await dir.webhooks.disable(acct.id, hook.id, 'test')).secret).toBe(hook.secret);
      expect((await harness.dump()).some((entry) => entry.includes(hook.secret))).toBe(false);
    });

    it('refuses a ciphertext moved to another document or tampered with', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const a = await dir.resources.create(acct.id, carrier('pass-a'));
      const b = await dir.resources.create(acct.id, carrier('pass-b'));
      const sealedA = JSON.parse((await harness.store.get(harness.keys.doc(acct.id, 'resource', a.id))) ?? '{}').gateways[0].password as string;
      await rewriteRaw(harness, harness.keys.doc(acct.id, 'resource', b.id), (doc) => ({ ...doc, gateways: [{ ...(doc['gateways'] as object[])[0], password: sealedA }] }));
      await expect(dir.resources.get(acct.id, b.id)).rejects.toMatchObject({ code: 'secret_unreadable' });
      const flipped = `${sealedA.slice(0, -2)}${sealedA.endsWith('AA') ? 'BB' : 'AA'}`;
      await rewriteRaw(harness, harness.keys.doc(acct.id, 'resource', a.id), (doc) => ({ ...doc, gateways: [{ ...(doc['gateways'] as object[])[0], password: flipped }] }));
      await expect(dir.resources.get(acct.id, a.id)).rejects.toMatchObject({ code: 'secret_unreadable' });
      // Rotation reports what it cannot read and goes on with the rest.
      const report = await dir.secrets.rotate();
      expect(report.failures.filter((f) => f.accountId === acct.id).map((f) => [f.id, f.code]).sort()).toEqual([[a.id, 'secret_unreadable'], [b.id, 'secret_unreadable']].sort());
      expect((await dir.resources.list(acct.id).catch((e: unknown) => e)) as object).toMatchObject({ code: 'secret_unreadable' });
      await dir.resources.delete(acct.id, a.id);
      await dir.accounts.delete(acct.id);
    });

    it('reads clear secrets an earlier version stored; rotate() encrypts them', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const res = await dir.resources.create(acct.id, carrier('x'));
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      const oldPassword = uniq('plain-trunk');
      const oldSecret = uniq('plain-secret');
      await rewriteRaw(harness, harness.keys.doc(acct.id, 'resource', res.id), (doc) => ({ ...doc, gateways: [{ ...(doc['gateways'] as object[])[0], password: oldPassword }] }));
      await rewriteRaw(harness, harness.keys.doc(acct.id, 'webhook', hook.id), (doc) => ({ ...doc, secret: oldSecret }));
      expect((await dir.resources.get(acct.id, res.id)).gateways[0]?.password).toBe(oldPassword);
      expect((await dir.webhooks.get(acct.id, hook.id)).secret).toBe(oldSecret);
      const revision = (await dir.resources.get(acct.id, res.id)).revision;
      const report = await dir.secrets.rotate();
      expect(report.resealed).toBeGreaterThanOrEqual(2);
      expect((await harness.dump()).some((entry) => entry.includes(oldPassword) || entry.includes(oldSecret))).toBe(false);
      expect((await dir.resources.get(acct.id, res.id)).gateways[0]?.password).toBe(oldPassword);
      expect((await dir.webhooks.get(acct.id, hook.id)).secret).toBe(oldSecret);
      // Re-encryption is not an edit: the revision a client holds for If-Match stays valid.
      expect((await dir.resources.get(acct.id, res.id)).revision).toBe(revision);
    });

    it('rotates keys: the first key encrypts, every listed key decrypts, rotate() re-encrypts under the first', async () => {
      const harness = h();
      const old = harness.directory;
      const acct = await account(old);
      const res = await old.resources.create(acct.id, carrier('rotate-me'));
      const hook = await old.webhooks.create(acct.id, hookDoc);
      await old.users.create(acct.id, { first_name: 'r', last_name: 'r', username: 'roamer', password: 'pw' });
      await old.users.create(acct.id, { first_name: 'r', last_name: 'r', username: 'absent', password: 'pw' });

      const both = harness.reopen(`${CONTRACT_KEYS.k1},${CONTRACT_KEYS.k0}`);
      expect((await both.resources.get(acct.id, res.id)).gateways[0]?.password).toBe('rotate-me');
      const fresh = await both.resources.create(acct.id, carrier('new-key'));
      expect((await harness.store.get(harness.keys.doc(acct.id, 'resource', fresh.id))) ?? '').toContain('enc:v1:k1:');

      const report = await both.secrets.rotate();
      expect(report.resealed).toBeGreaterThanOrEqual(2);
      expect(report.usersOnRetiredKeys).toBeGreaterThanOrEqual(2);
      expect(report.shaOnRetiredKeys).toBeGreaterThanOrEqual(2);
      expect((await harness.dump()).filter((entry) => entry.includes(acct.id)).some((entry) => entry.includes('enc:v1:k0:'))).toBe(false);
      expect(report.failures).toEqual([]);
      // A login re-indexes the user under the first key.
      expect((await both.credentials.authenticateUser(acct.name, md5('roamer', 'pw'))).username).toBe('roamer');

      const only = harness.reopen(CONTRACT_KEYS.k1);
      expect((await only.resources.get(acct.id, res.id)).gateways[0]?.password).toBe('rotate-me');
      expect((await only.webhooks.get(acct.id, hook.id)).secret).toBe(hook.secret);
      expect((await only.credentials.authenticateUser(acct.name, md5('roamer', 'pw'))).username).toBe('roamer');
      // Only the credential itself can be re-keyed: a user who never logged in while k0 was listed must set a new password.
      await expectDirectoryError(only.credentials.authenticateUser(acct.name, md5('absent', 'pw')), 'unauthorized');
      const later = await both.secrets.rotate();
      expect(later.usersOnRetiredKeys).toBe(report.usersOnRetiredKeys - 1);
      expect(later.shaOnRetiredKeys).toBe(report.shaOnRetiredKeys);

      const stranger = harness.reopen(CONTRACT_KEYS.k9);
      await expect(stranger.resources.get(acct.id, res.id)).rejects.toMatchObject({ code: 'secret_key_unknown', details: { keyId: 'k1' } });
    });
  });
}
