import type { KazooApp } from './kazoo-app.harness';
import { expectKazooError, startSecurityWorld, type SecurityWorld } from './security.fixture';

type Json = Record<string, unknown>;

// PUT/GET/DELETE /v2/accounts/{id}/api_clients: the credentials of the VoipNow, Basix, X-on and Netaxis apps.
describe('Kazoo api_clients routes', () => {
  let app: KazooApp;
  let w: SecurityWorld;
  const path = (accountId: string): string => `/v2/accounts/${accountId}/api_clients`;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  const create = async (data: unknown, token = w.a.keyToken, accountId = w.a.id) => app.call('PUT', path(accountId), { token, body: { data } });

  it('PUT answers 201 with client_id and a client_secret that the store keeps only hashed', async () => {
    const res = await create({ name: 'crm', dialect: 'voipnow', owner_id: w.a.userId });
    expect(res.status).toBe(201);
    const data = res.body.data as Json;
    expect(data).toMatchObject({ name: 'crm', dialect: 'voipnow', owner_id: w.a.userId, client_id: data['id'] });
    expect(typeof data['client_secret']).toBe('string');
    expect(String(data['client_secret']).length).toBeGreaterThanOrEqual(32);
    expect(Object.keys(data).filter((k) => k.startsWith('pvt_'))).toEqual([]);
    const stored = JSON.stringify(await app.directory.apiClients.list(w.a.id));
    expect(stored).not.toContain(String(data['client_secret']));
  });

  it('GET one and GET the list never show the secret; an organization app has no owner_id', async () => {
    const created = (await create({ name: 'org app', dialect: 'basix' })).body.data as Json;
    const one = await app.call('GET', `${path(w.a.id)}/${String(created['id'])}`, { token: w.a.adminToken });
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: created['id'], client_id: created['id'], name: 'org app', dialect: 'basix' });
    expect(one.body.data).not.toHaveProperty('owner_id');
    expect(JSON.stringify(one.body)).not.toContain(String(created['client_secret']));
    const list = await app.call('GET', path(w.a.id), { token: w.a.keyToken });
    expect(list.status).toBe(200);
    const rows = list.body.data as Json[];
    expect(rows.map((r) => r['id'])).toContain(created['id']);
    expect(JSON.stringify(rows)).not.toContain(String(created['client_secret']));
  });

  it('DELETE answers the client as it was, revokes its tokens at once and stops its secret', async () => {
    const created = (await create({ name: 'gone', dialect: 'voipnow' })).body.data as Json;
    const clientId = String(created['id']);
    const secret = String(created['client_secret']);
    const token = await app.directory.apiClients.issueToken({ accountId: w.a.id, clientId });
    await expect(app.directory.apiClients.verifyToken(token.token, 'voipnow')).resolves.toMatchObject({ clientId });
    const res = await app.call('DELETE', `${path(w.a.id)}/${clientId}`, { token: w.a.keyToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: clientId, name: 'gone' });
    await expect(app.directory.apiClients.verifyToken(token.token, 'voipnow')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(await app.directory.apiClients.authenticate({ clientId, secret }, { dialect: 'voipnow', source: '127.0.0.1' })).toEqual({ ok: false, reason: 'invalid_client' });
    expectKazooError(await app.call('GET', `${path(w.a.id)}/${clientId}`, { token: w.a.keyToken }), 404);
  });

  it.each([
    [{ dialect: 'voipnow' }, 'name'],
    [{ name: 'x', dialect: 'skype' }, 'dialect'],
    [{ name: 'x', dialect: 'voipnow', owner_id: 'not-an-id' }, 'owner_id'],
  ])('PUT %j is a 400 naming %s', async (data, field) => {
    const res = await create(data);
    expectKazooError(res, 400);
    expect(res.body.data).toHaveProperty(field);
  });

  it('an owner_id of another account is a 400 naming owner_id, and nothing is created', async () => {
    const before = (await app.directory.apiClients.list(w.a.id)).length;
    const res = await create({ name: 'stolen', dialect: 'voipnow', owner_id: w.b.userId });
    expectKazooError(res, 400);
    expect(res.body.data).toHaveProperty('owner_id');
    expect(await app.directory.apiClients.list(w.a.id)).toHaveLength(before);
  });

  it('a body without data is a 400 naming data', async () => {
    const res = await app.call('PUT', path(w.a.id), { token: w.a.keyToken, body: { name: 'flat', dialect: 'voipnow' } });
    expectKazooError(res, 400);
    expect(res.body.data).toHaveProperty('data');
  });

  it("only the account's admins: a plain user gets 403, another tenant 403, no token 401", async () => {
    const created = (await create({ name: 'guarded', dialect: 'voipnow' })).body.data as Json;
    const one = `${path(w.a.id)}/${String(created['id'])}`;
    for (const token of [w.a.userToken, w.b.keyToken, w.b.adminToken]) {
      expectKazooError(await app.call('GET', path(w.a.id), { token }), 403);
      expectKazooError(await app.call('GET', one, { token }), 403);
      expectKazooError(await app.call('DELETE', one, { token }), 403);
      expectKazooError(await create({ name: 'intruder', dialect: 'voipnow' }, token), 403);
    }
    expectKazooError(await app.call('GET', path(w.a.id)), 401);
    expect((await app.directory.apiClients.list(w.a.id)).map((c) => c.name)).not.toContain('intruder');
    expect((await app.call('GET', one, { token: w.a.keyToken })).status).toBe(200);
  });

  it("another tenant's client id under this account is 404", async () => {
    const theirs = (await create({ name: 'theirs', dialect: 'voipnow' }, w.b.keyToken, w.b.id)).body.data as Json;
    expectKazooError(await app.call('GET', `${path(w.a.id)}/${String(theirs['id'])}`, { token: w.a.keyToken }), 404);
    expectKazooError(await app.call('DELETE', `${path(w.a.id)}/${String(theirs['id'])}`, { token: w.a.keyToken }), 404);
    expect((await app.call('GET', `${path(w.b.id)}/${String(theirs['id'])}`, { token: w.b.keyToken })).status).toBe(200);
  });
});
