import { md5Credentials } from '@legwork/directory';
import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';

describe('Kazoo auth (api_auth, user_auth, X-Auth-Token)', () => {
  let app: KazooApp;
  let masterKey: string;
  let masterId: string;

  beforeAll(async () => {
    app = await startKazooApp({ tokenTtlSeconds: 60 });
    masterKey = bannerKey(app);
    const master = await app.directory.accounts.getMaster();
    if (!master) throw new Error('no master account');
    masterId = master.id;
  });
  afterAll(() => app.close());

  it('exchanges an API key for a token with the account in data', async () => {
    const res = await app.call('PUT', '/v2/api_auth', { body: { data: { api_key: masterKey } } });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('success');
    expect(res.body.auth_token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(res.body.data).toMatchObject({ account_id: masterId, account_name: 'master', method: 'api_key', is_reseller: true });
    const me = await app.call('GET', `/v2/accounts/${masterId}`, { token: res.body.auth_token });
    expect(me.status).toBe(200);
    expect(me.body.auth_token).toBe(res.body.auth_token);
  });

  it('answers 401 in the Kazoo shape for an unknown API key and 400 for a missing one', async () => {
    const bad = await app.call('PUT', '/v2/api_auth', { body: { data: { api_key: 'f'.repeat(64) } } });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ status: 'error', error: '401', message: 'invalid_credentials' });
    expect(typeof bad.body.timestamp).toBe('string');
    const missing = await app.call('PUT', '/v2/api_auth', { body: { data: {} } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: '400', message: 'invalid data', data: { api_key: { required: { message: expect.any(String) } } } });
  });

  it('logs users in by account name or realm with md5("user:pass")', async () => {
    const account = await app.directory.accounts.create({ name: 'Acme Auth', realm: 'acme-auth.legwork.local' }, masterId);
    const user = await app.directory.users.create(account.id, { username: 'alice', password: 'Secr3t!pass', first_name: 'Alice', last_name: 'A' });
    const credentials = md5Credentials('alice', 'Secr3t!pass');

    const byName = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials, account_name: 'Acme Auth' } } });
    expect(byName.status).toBe(201);
    expect(byName.body.data).toMatchObject({ account_id: account.id, owner_id: user.id, method: 'user_auth', is_reseller: false, reseller_id: masterId });
    const byRealm = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials, account_realm: 'acme-auth.legwork.local' } } });
    expect(byRealm.status).toBe(201);

    const wrong = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials('alice', 'nope'), account_name: 'Acme Auth' } } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('invalid_credentials');
    const noAccount = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials } } });
    expect(noAccount.status).toBe(400);
    expect(noAccount.body.data).toHaveProperty('account_name');
  });

  it('refuses missing, unknown and expired tokens with 401', async () => {
    const token = await tokenFor(app, masterKey);
    expect((await app.call('GET', `/v2/accounts/${masterId}`)).status).toBe(401);
    const unknown = await app.call('GET', `/v2/accounts/${masterId}`, { token: 'x'.repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ status: 'error', message: 'invalid_credentials' });
    expect((await app.call('GET', `/v2/accounts/${masterId}`, { token })).status).toBe(200);
    app.advance(61_000);
    const expired = await app.call('GET', `/v2/accounts/${masterId}`, { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', error: '401', message: 'invalid_credentials' });
  });

  it('lets a token reach its account and sub-accounts only: the same 403 for foreign and unknown accounts', async () => {
    const parent = await app.directory.accounts.create({ name: 'Tree Parent', realm: 'tree-parent.legwork.local' }, masterId);
    const child = await app.directory.accounts.create({ name: 'Tree Child', realm: 'tree-child.legwork.local' }, parent.id);
    const sibling = await app.directory.accounts.create({ name: 'Tree Sibling', realm: 'tree-sibling.legwork.local' }, masterId);
    const token = await tokenFor(app, await app.directory.credentials.createApiKey(parent.id));

    expect((await app.call('GET', `/v2/accounts/${parent.id}`, { token })).status).toBe(200);
    expect((await app.call('GET', `/v2/accounts/${child.id}`, { token })).status).toBe(200);
    for (const other of [sibling.id, masterId]) {
      const res = await app.call('GET', `/v2/accounts/${other}`, { token });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 'error', error: '403', message: 'forbidden' });
    }
    // An unknown account is answered like a foreign one, so a token learns nothing about other trees.
    const unknown = await app.call('GET', `/v2/accounts/${'0'.repeat(32)}`, { token });
    const foreign = await app.call('GET', `/v2/accounts/${sibling.id}`, { token });
    expect([unknown.status, unknown.body.message, unknown.body.data]).toEqual([403, 'forbidden', foreign.body.data]);
  });
});
