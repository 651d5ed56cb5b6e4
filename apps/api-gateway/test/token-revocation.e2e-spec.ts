import type { KazooApp } from './kazoo-app.harness';
import { expectKazooError, securityTenant, startSecurityWorld, userToken, type SecurityWorld } from './security.fixture';

// Tokens die with their user (disable, delete, password change), their account and its ancestors.
describe('token revocation', () => {
  let app: KazooApp;
  let w: SecurityWorld;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  const me = (t: { id: string; userId: string }) => `/v2/accounts/${t.id}/users/${t.userId}`;

  it("a deleted admin's token can do nothing, not even create an admin", async () => {
    const t = await securityTenant(app, w.masterId, 'del');
    expect((await app.call('DELETE', `/v2/accounts/${t.id}/users/${t.adminId}`, { token: t.keyToken })).status).toBe(200);
    const created = await app.call('PUT', `/v2/accounts/${t.id}/users`, { token: t.adminToken, body: { data: { first_name: 'Evil', last_name: 'Twin', priv_level: 'admin' } } });
    expectKazooError(created, 401);
    expect((await app.directory.users.list(t.id)).map((u) => u.first_name)).not.toContain('Evil');
    expectKazooError(await app.call('GET', `/v2/accounts/${t.id}`, { token: t.adminToken }), 401);
  });

  it("a disabled user's token stops at once and stays dead after re-enabling", async () => {
    const t = await securityTenant(app, w.masterId, 'dis');
    expect((await app.call('PATCH', me(t), { token: t.keyToken, body: { data: { enabled: false } } })).status).toBe(200);
    expectKazooError(await app.call('GET', me(t), { token: t.userToken }), 401);
    expect((await app.call('PATCH', me(t), { token: t.keyToken, body: { data: { enabled: true } } })).status).toBe(200);
    expectKazooError(await app.call('GET', me(t), { token: t.userToken }), 401);
  });

  it('a password change revokes every token of the user, the one that changed it included', async () => {
    const t = await securityTenant(app, w.masterId, 'pwd');
    const second = await userToken(app, t.realm, `user-${t.name}`);
    const change = await app.call('PATCH', me(t), { token: t.userToken, body: { data: { username: `user-${t.name}`, password: 'N3w-password!' } } });
    expect(change.status).toBe(200);
    for (const token of [t.userToken, second]) expectKazooError(await app.call('GET', me(t), { token }), 401);
    const fresh = await userToken(app, t.realm, `user-${t.name}`, 'N3w-password!');
    expect((await app.call('GET', me(t), { token: fresh })).status).toBe(200);
    expect((await app.call('GET', `/v2/accounts/${t.id}/users/${t.peerId}`, { token: t.adminToken })).status).toBe(200);
  });

  it('a disabled parent account disables the tokens of its sub-accounts', async () => {
    const parent = await securityTenant(app, w.masterId, 'par');
    const child = await securityTenant(app, parent.id, 'chi');
    expect((await app.call('GET', me(child), { token: child.userToken })).status).toBe(200);
    expect((await app.call('PATCH', `/v2/accounts/${parent.id}`, { token: w.masterToken, body: { data: { enabled: false } } })).status).toBe(200);
    for (const token of [child.userToken, child.keyToken, child.adminToken]) expectKazooError(await app.call('GET', me(child), { token }), 401);
    const login = await app.call('PUT', '/v2/api_auth', { body: { data: { api_key: await app.directory.credentials.createApiKey(child.id) } } });
    expectKazooError(login, 401);
  });

  it('DELETE /v2/token_auth revokes the caller own token and no other', async () => {
    const t = await securityTenant(app, w.masterId, 'out');
    const other = await userToken(app, t.realm, `user-${t.name}`);
    const out = await app.call('DELETE', '/v2/token_auth', { token: t.userToken });
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('success');
    expectKazooError(await app.call('GET', me(t), { token: t.userToken }), 401);
    expectKazooError(await app.call('DELETE', '/v2/token_auth', { token: t.userToken }), 401);
    expect((await app.call('GET', me(t), { token: other })).status).toBe(200);
  });
});
