import { callerOfClient } from '../access/access-policy';
import { newClientSecret } from '../clients/client-secret';
import type { ClientAuthResult } from '../clients/client-auth';
import { account, CONTRACT_KEYS, expectDirectoryError, type DirectoryHarness, uniq } from './directory-harness';

let sources = 0;
/** A source address no other test uses, so throttle counts never cross tests. */
const source = (): string => `10.66.${Math.floor(++sources / 250)}.${sources % 250}`;
const principalOf = (r: ClientAuthResult) => (r.ok ? r.principal : undefined);

/** API clients: secrets shown once and kept as keyed hashes, three ways to authenticate, tokens that die with the client. */
export function apiClientsContract(h: () => DirectoryHarness): void {
  describe('api clients', () => {
    it('creates organization and user apps; the secret is returned once and never stored or read back', async () => {
      const harness = h();
      const dir = harness.directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'a', last_name: 'b' });
      const org = await dir.apiClients.create(acct.id, { name: 'crm', dialect: 'voipnow' });
      const app = await dir.apiClients.create(acct.id, { name: 'softphone', dialect: 'basix', owner_id: user.id });
      expect(org.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(org).toMatchObject({ client_id: org.client.id, client: { account_id: acct.id, name: 'crm', dialect: 'voipnow', client_id: org.client.id } });
      expect(org.client).not.toHaveProperty('owner_id');
      expect(app.client.owner_id).toBe(user.id);
      const read = [await dir.apiClients.get(acct.id, org.client_id), ...(await dir.apiClients.list(acct.id))];
      expect(JSON.stringify(read)).not.toMatch(/secret/);
      expect((await dir.apiClients.list(acct.id)).map((c) => c.id).sort()).toEqual([org.client_id, app.client_id].sort());
      expect((await dir.apiClients.list(acct.id, { ownerId: user.id })).map((c) => c.id)).toEqual([app.client_id]);
      const atRest = (await harness.dump()).join('\n');
      expect(atRest).not.toContain(org.client_secret);
      expect(atRest).not.toContain(app.client_secret);
      expect((await harness.store.get(harness.keys.doc(acct.id, 'apiclient', org.client_id))) ?? '').toMatch(/"pvt_secret_hash":"k0:[0-9a-f]{64}"/);
      await expectDirectoryError(dir.apiClients.create(acct.id, { name: 'x', dialect: 'kazoo' }), 'invalid_document', 'dialect', 'enum');
      await expectDirectoryError(dir.apiClients.create(acct.id, { name: 'x', dialect: 'xon', owner_id: 'e'.repeat(32) }), 'invalid_document', 'owner_id', 'exists');
      await expectDirectoryError(dir.apiClients.create(acct.id, { dialect: 'xon' }), 'invalid_document', 'name', 'required');
      await expectDirectoryError(dir.apiClients.create('a'.repeat(32), { name: 'x', dialect: 'xon' }), 'not_found');
      await expectDirectoryError(dir.apiClients.get((await account(dir)).id, org.client_id), 'not_found');
    });

    it('authenticates client_id + secret, realm + secret and a bare secret, each for its own dialect only', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const other = await account(dir);
      const voip = await dir.apiClients.create(acct.id, { name: 'v', dialect: 'voipnow' });
      const basix = await dir.apiClients.create(acct.id, { name: 'b', dialect: 'basix' });
      const xon = await dir.apiClients.create(acct.id, { name: 'x', dialect: 'xon' });
      const auth = (credentials: Parameters<typeof dir.apiClients.authenticate>[0], dialect: 'voipnow' | 'basix' | 'xon' | 'netaxis') => dir.apiClients.authenticate(credentials, { dialect, source: source() });
      expect(principalOf(await auth({ clientId: voip.client_id, secret: voip.client_secret }, 'voipnow'))).toMatchObject({ accountId: acct.id, clientId: voip.client_id, dialect: 'voipnow', role: 'admin', account: { id: acct.id } });
      expect(principalOf(await auth({ realm: acct.realm.toUpperCase(), secret: basix.client_secret }, 'basix'))).toMatchObject({ clientId: basix.client_id, dialect: 'basix' });
      expect(principalOf(await auth({ secret: xon.client_secret }, 'xon'))).toMatchObject({ clientId: xon.client_id, dialect: 'xon' });
      const refused: Array<[Parameters<typeof dir.apiClients.authenticate>[0], 'voipnow' | 'basix' | 'xon']> = [
        [{ clientId: voip.client_id, secret: newClientSecret() }, 'voipnow'],
        [{ clientId: basix.client_id, secret: voip.client_secret }, 'voipnow'],
        [{ clientId: voip.client_id, secret: voip.client_secret }, 'basix'],
        [{ realm: other.realm, secret: basix.client_secret }, 'basix'],
        [{ realm: acct.realm, secret: xon.client_secret }, 'basix'],
        [{ secret: voip.client_secret }, 'xon'],
        [{ secret: `${xon.client_secret}x` }, 'xon'],
        [{ secret: xon.client_secret.slice(0, 42) }, 'xon'],
        [{ secret: 42 } as never, 'xon'],
        [{ realm: 7, secret: basix.client_secret } as never, 'basix'],
        [null as never, 'xon'],
      ];
      for (const [credentials, dialect] of refused) expect([credentials, dialect, await auth(credentials, dialect)]).toEqual([credentials, dialect, { ok: false, reason: 'invalid_client' }]);
    });

    it('gives a user app its owner (role read now) and refuses it once the owner or an account above is disabled', async () => {
      const dir = h().directory;
      const parent = await account(dir);
      const acct = await account(dir, parent.id);
      const user = await dir.users.create(acct.id, { first_name: 'o', last_name: 'w', priv_level: 'admin' });
      const app = await dir.apiClients.create(acct.id, { name: 'app', dialect: 'netaxis', owner_id: user.id });
      const auth = () => dir.apiClients.authenticate({ secret: app.client_secret }, { dialect: 'netaxis', source: source() });
      expect(principalOf(await auth())).toMatchObject({ ownerId: user.id, role: 'admin', owner: { id: user.id } });
      await dir.users.patch(acct.id, user.id, { priv_level: 'user' });
      expect(principalOf(await auth())).toMatchObject({ ownerId: user.id, role: 'user' });
      await dir.users.patch(acct.id, user.id, { enabled: false });
      expect(await auth()).toEqual({ ok: false, reason: 'invalid_client' });
      await dir.users.patch(acct.id, user.id, { enabled: true });
      await dir.accounts.patch(parent.id, { enabled: false });
      expect(await auth()).toEqual({ ok: false, reason: 'invalid_client' });
      await dir.accounts.patch(parent.id, { enabled: true });
      expect((await auth()).ok).toBe(true);
    });

    it('counts failed client authentications in the shared throttle: a source over the limit is refused even with the right secret', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const xon = await dir.apiClients.create(acct.id, { name: 'x', dialect: 'xon' });
      const attacker = source();
      let last: ClientAuthResult = { ok: false, reason: 'invalid_client' };
      for (let i = 0; i < 40 && (last.ok || last.reason !== 'throttled'); i++) last = await dir.apiClients.authenticate({ secret: newClientSecret() }, { dialect: 'xon', source: attacker });
      expect(last).toMatchObject({ ok: false, reason: 'throttled' });
      expect(await dir.apiClients.authenticate({ secret: xon.client_secret }, { dialect: 'xon', source: attacker })).toMatchObject({ ok: false, reason: 'throttled', retryAfterMs: expect.any(Number) });
      // the client itself is not locked out: other sources still get in
      expect((await dir.apiClients.authenticate({ secret: xon.client_secret }, { dialect: 'xon', source: source() })).ok).toBe(true);
    });

    it('issues tokens that carry the client, verify for its dialect only, and never pass as Kazoo tokens', async () => {
      const { directory: dir, clock } = h();
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'u', last_name: 'u' });
      const app = await dir.apiClients.create(acct.id, { name: 'app', dialect: 'voipnow', owner_id: user.id });
      const issued = await dir.apiClients.issueToken({ accountId: acct.id, clientId: app.client_id }, { ttlSeconds: 60 });
      expect(issued).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresIn: 60, expiresAt: clock.now() + 60_000 });
      expect(await dir.apiClients.verifyToken(issued.token, 'voipnow')).toMatchObject({ accountId: acct.id, clientId: app.client_id, ownerId: user.id, role: 'user', expiresAt: issued.expiresAt });
      await expectDirectoryError(dir.apiClients.verifyToken(issued.token, 'netaxis'), 'unauthorized');
      await expectDirectoryError(dir.credentials.verifyToken(issued.token), 'unauthorized');
      const kazoo = await dir.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
      await expectDirectoryError(dir.apiClients.verifyToken(kazoo, 'voipnow'), 'unauthorized');
      await dir.apiClients.revokeToken(kazoo);
      await expect(dir.credentials.verifyToken(kazoo)).resolves.toMatchObject({ accountId: acct.id });
      expect((await dir.apiClients.issueToken({ accountId: acct.id, clientId: app.client_id }, { ttlSeconds: 10 ** 9 })).expiresIn).toBeLessThanOrEqual(3600);
      clock.advance(60_000);
      await expectDirectoryError(dir.apiClients.verifyToken(issued.token, 'voipnow'), 'unauthorized');
      await expectDirectoryError(dir.apiClients.verifyToken('x'.repeat(43), 'voipnow'), 'unauthorized');
      await expectDirectoryError(dir.apiClients.verifyToken(undefined, 'voipnow'), 'unauthorized');
      await expectDirectoryError(dir.apiClients.issueToken({ accountId: acct.id, clientId: 'f'.repeat(32) }), 'not_found');
    });

    it('revokes every token of a client at once: on delete (secret too), on revokeTokens, and with its owner', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const user = await dir.users.create(acct.id, { first_name: 'u', last_name: 'u' });
      const org = await dir.apiClients.create(acct.id, { name: 'org', dialect: 'netaxis' });
      const app = await dir.apiClients.create(acct.id, { name: 'app', dialect: 'netaxis', owner_id: user.id });
      const token = (clientId: string) => dir.apiClients.issueToken({ accountId: acct.id, clientId }).then((t) => t.token);
      const [t1, t2] = [await token(org.client_id), await token(org.client_id)];
      await dir.apiClients.revokeTokens(acct.id, org.client_id);
      for (const t of [t1, t2]) await expectDirectoryError(dir.apiClients.verifyToken(t, 'netaxis'), 'unauthorized');
      const t3 = await token(org.client_id);
      await expect(dir.apiClients.verifyToken(t3, 'netaxis')).resolves.toMatchObject({ clientId: org.client_id });
      expect((await dir.apiClients.authenticate({ secret: org.client_secret }, { dialect: 'netaxis', source: source() })).ok).toBe(true);
      await dir.apiClients.delete(acct.id, org.client_id);
      await expectDirectoryError(dir.apiClients.verifyToken(t3, 'netaxis'), 'unauthorized');
      expect(await dir.apiClients.authenticate({ secret: org.client_secret }, { dialect: 'netaxis', source: source() })).toEqual({ ok: false, reason: 'invalid_client' });
      await expectDirectoryError(dir.apiClients.get(acct.id, org.client_id), 'not_found');
      await expectDirectoryError(dir.apiClients.delete(acct.id, org.client_id), 'not_found');
      const t4 = await token(app.client_id);
      await dir.users.patch(acct.id, user.id, { enabled: false });
      await expectDirectoryError(dir.apiClients.verifyToken(t4, 'netaxis'), 'unauthorized');
      await dir.users.delete(acct.id, user.id);
      await expectDirectoryError(dir.apiClients.get(acct.id, app.client_id), 'not_found');
    });

    it('maps a client to a caller: an organization app is an admin of its account, a user app acts as its user', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const sibling = await account(dir);
      const me = await dir.users.create(acct.id, { first_name: 'me', last_name: 'x' });
      const peer = await dir.users.create(acct.id, { first_name: 'peer', last_name: 'x' });
      const mine = await dir.devices.create(acct.id, { name: 'm', owner_id: me.id, sip: { username: uniq('m'), password: 'p' } });
      const theirs = await dir.devices.create(acct.id, { name: 't', owner_id: peer.id, sip: { username: uniq('t'), password: 'p' } });
      const org = await dir.apiClients.create(acct.id, { name: 'org', dialect: 'voipnow' });
      const app = await dir.apiClients.create(acct.id, { name: 'app', dialect: 'voipnow', owner_id: me.id });
      const caller = async (secret: string) => {
        const r = await dir.apiClients.authenticate({ secret }, { dialect: 'voipnow', source: source() });
        if (!r.ok) throw new Error('expected the client to authenticate');
        return callerOfClient(r.principal);
      };
      const verdict = (c: Awaited<ReturnType<typeof caller>>, operation: 'user.read' | 'originate.device', accountId: string, targetId: string) =>
        dir.access.authorize(c, { operation, accountId, targetId }).then(
          (g) => (g.scope.all ? 'all' : 'own'),
          (e: { code: string }) => e.code,
        );
      const asOrg = await caller(org.client_secret);
      expect(asOrg).toEqual({ accountId: acct.id, role: 'admin', method: 'api_client', clientId: org.client_id });
      expect(await verdict(asOrg, 'user.read', acct.id, peer.id)).toBe('all');
      expect(await verdict(asOrg, 'user.read', sibling.id, peer.id)).toBe('forbidden');
      const asApp = await caller(app.client_secret);
      expect(asApp).toEqual({ accountId: acct.id, role: 'user', method: 'api_client', clientId: app.client_id, userId: me.id });
      expect(await verdict(asApp, 'originate.device', acct.id, mine.id)).toBe('own');
      expect(await verdict(asApp, 'originate.device', acct.id, theirs.id)).toBe('forbidden');
      expect(await verdict(asApp, 'user.read', acct.id, peer.id)).toBe('forbidden');
    });

    it('deleting an account forgets its clients and their secrets', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const xon = await dir.apiClients.create(acct.id, { name: 'x', dialect: 'xon' });
      await dir.accounts.delete(acct.id);
      expect(await dir.apiClients.authenticate({ secret: xon.client_secret }, { dialect: 'xon', source: source() })).toEqual({ ok: false, reason: 'invalid_client' });
    });
  });
}

/** Run last, like the secrets suite: it leaves a client under a key the main directory does not hold. */
export function apiClientRotationContract(h: () => DirectoryHarness): void {
  describe('api client secrets under key rotation', () => {
    it('authenticates under an older key while it is listed, and re-keys the hash when the secret is presented', async () => {
      const harness = h();
      const acct = await account(harness.directory);
      const xon = await harness.directory.apiClients.create(acct.id, { name: 'x', dialect: 'xon' });
      const idle = await harness.directory.apiClients.create(acct.id, { name: 'idle', dialect: 'xon' });
      const both = harness.reopen(`${CONTRACT_KEYS.k1},${CONTRACT_KEYS.k0}`);
      const before = await both.secrets.rotate();
      expect(before.apiClientsOnRetiredKeys).toBeGreaterThanOrEqual(2);
      expect((await both.apiClients.authenticate({ secret: xon.client_secret }, { dialect: 'xon', source: source() })).ok).toBe(true);
      expect((await harness.store.get(harness.keys.doc(acct.id, 'apiclient', xon.client_id))) ?? '').toMatch(/"pvt_secret_hash":"k1:/);
      expect((await both.secrets.rotate()).apiClientsOnRetiredKeys).toBe(before.apiClientsOnRetiredKeys - 1);
      const only = harness.reopen(CONTRACT_KEYS.k1);
      expect((await only.apiClients.authenticate({ secret: xon.client_secret }, { dialect: 'xon', source: source() })).ok).toBe(true);
      // only the secret itself re-keys its hash: a client that never authenticated while k0 was listed is locked out
      expect(await only.apiClients.authenticate({ secret: idle.client_secret }, { dialect: 'xon', source: source() })).toEqual({ ok: false, reason: 'invalid_client' });
    });
  });
}
