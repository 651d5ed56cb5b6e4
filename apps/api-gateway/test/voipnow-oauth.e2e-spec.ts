import { securityTenant, startSecurityWorld, type SecurityWorld } from './security.fixture';
import type { KazooApp } from './kazoo-app.harness';

type Json = Record<string, unknown>;

// POST /oauth/token.php: OAuth 2.0 client credentials for VoipNow apps (API clients of dialect voipnow).
describe('VoipNow OAuth token endpoint', () => {
  let app: KazooApp;
  let w: SecurityWorld;
  let client: { id: string; secret: string };

  const post = async (body: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: Json }> => {
    const res = await fetch(`${app.url}/oauth/token.php`, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Json) };
  };
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    post(new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  const json = (fields: Json, headers: Record<string, string> = {}) => post(JSON.stringify(fields), { 'content-type': 'application/json', ...headers });
  const phoneCalls = (token: string) => fetch(`${app.url}/uapi/phoneCalls/@me/simple`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });

  beforeAll(async () => {
    ({ app, w } = await startSecurityWorld());
    const created = await app.directory.apiClients.create(w.a.id, { name: 'crm', dialect: 'voipnow', owner_id: w.a.userId });
    client = { id: created.client_id, secret: created.client_secret };
  });
  afterAll(() => app.close());

  it('a form post of grant_type=client_credentials answers a Bearer token with its lifetime, not to be cached', async () => {
    const res = await form({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(Number(res.body['expires_in'])).toBeGreaterThan(0);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // the token opens the PhoneCalls API: the empty payload is refused for what it is, not for the token
    const call = await phoneCalls(String(res.body['access_token']));
    expect(call.status).toBe(400);
  });

  it('the same as JSON, and with the credentials in HTTP Basic', async () => {
    expect((await json({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret })).status).toBe(200);
    const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
    const res = await form({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    expect(res.body['token_type']).toBe('Bearer');
  });

  it.each([
    ['a wrong secret', { client_secret: 'x'.repeat(43) }],
    ['an unknown client_id', { client_id: '0'.repeat(32) }],
  ])('%s is 401 {"error":"invalid_client"}', async (_what, patch) => {
    const res = await form({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, ...patch });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });

  it("another dialect's client (basix) is invalid_client here", async () => {
    const basix = await app.directory.apiClients.create(w.a.id, { name: 'pbx', dialect: 'basix' });
    const res = await form({ grant_type: 'client_credentials', client_id: basix.client_id, client_secret: basix.client_secret });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });

  it.each([
    [{ client_id: 'x', client_secret: 'y' }, 400, 'invalid_request'],
    [{ grant_type: 'password', client_id: 'x', client_secret: 'y' }, 400, 'unsupported_grant_type'],
    [{ grant_type: 'client_credentials', client_secret: 'y' }, 400, 'invalid_request'],
    [{ grant_type: 'client_credentials', client_id: 'x' }, 400, 'invalid_request'],
  ])('%j is %d %s', async (fields, status, error) => {
    const res = await form(fields);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error, error_description: expect.any(String) });
  });

  it('a body that is not JSON is a 400 in the VoipNow shape', async () => {
    const res = await post('{not json', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'request_invalid', message: expect.any(String) } });
  });

  it('a deleted client stops authenticating and its tokens stop at once', async () => {
    const gone = await app.directory.apiClients.create(w.a.id, { name: 'gone', dialect: 'voipnow', owner_id: w.a.userId });
    const token = String((await form({ grant_type: 'client_credentials', client_id: gone.client_id, client_secret: gone.client_secret })).body['access_token']);
    expect((await phoneCalls(token)).status).toBe(400);
    expect((await app.call('DELETE', `/v2/accounts/${w.a.id}/api_clients/${gone.client_id}`, { token: w.a.keyToken })).status).toBe(200);
    const refused = await phoneCalls(token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_token' } });
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await form({ grant_type: 'client_credentials', client_id: gone.client_id, client_secret: gone.client_secret })).status).toBe(401);
  });

  it('PhoneCalls without a token, or with a Kazoo token, is 401 in the VoipNow shape', async () => {
    const none = await fetch(`${app.url}/uapi/phoneCalls/@me/simple`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'invalid_token', message: expect.any(String) } });
    const kazoo = await phoneCalls(w.a.keyToken);
    expect(kazoo.status).toBe(401);
  });

  it("a verified app draws from its organization's api_bucket: beyond it, 429 too_many_requests in the VoipNow shape", async () => {
    const t = await securityTenant(app, w.masterId, 'vrl');
    await app.directory.accounts.patch(t.id, { limits: { api_bucket: { burst: 2, refill_per_second: 0.001 } } });
    const c = await app.directory.apiClients.create(t.id, { name: 'busy', dialect: 'voipnow', owner_id: t.userId });
    const token = String((await form({ grant_type: 'client_credentials', client_id: c.client_id, client_secret: c.client_secret })).body['access_token']);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await phoneCalls(token)).status);
    expect(statuses).toEqual([400, 400, 429]);
    const limited = await phoneCalls(token);
    expect(await limited.json()).toMatchObject({ error: { code: 'too_many_requests' } });
  });

  it('Kazoo routes keep their own error envelope beside the VoipNow ones', async () => {
    const res = await app.call('GET', `/v2/accounts/${w.a.id}/api_clients`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status: 'error', error: '401' });
  });
});
