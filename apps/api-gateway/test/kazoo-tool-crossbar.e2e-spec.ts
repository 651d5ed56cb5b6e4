import { createHash } from 'node:crypto';
import { MEDIA_PROCESS_INFO } from '@legwork/call-state';
import { newId } from '@legwork/common';
import { md5Credentials, sha1Credentials } from '@legwork/directory';
import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';
import { waitFor } from '@legwork/common/testing';
import { FakeMediaNode } from './quickcall.harness';

type Json = Record<string, unknown>;

const NODE_ID = 'crossbar-tool-gw';
/** kz_time:iso8601 of now_s: seconds, UTC, `Z`. */
const KAZOO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const INVALID_CREDENTIALS = { status: 'error', error: '401', message: 'invalid_credentials', data: { message: 'invalid credentials' } };

/** A Kazoo tool's HTTP: plain fetch, headers and body exactly as given, the JSON answer as it came. */
async function raw(app: KazooApp, method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...opts.headers },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('a Kazoo tool on crossbar (plain HTTP): envelope, tokens, user_auth, quickcall', () => {
  let app: KazooApp;
  let masterId: string;
  let masterToken: string;
  let account: { id: string; name: string; realm: string };
  let user: { id: string };
  const did = `+1415555${String(1000 + Math.floor(Math.random() * 9000))}`;

  beforeAll(async () => {
    app = await startKazooApp({ env: { NODE_ID, RATE_BUCKET_BURST: '1000', RATE_BUCKET_REFILL_PER_SECOND: '1000', UNAUTHENTICATED_RATE_LIMIT: '1000' } });
    masterId = (await app.directory.accounts.getMaster())?.id ?? '';
    masterToken = await tokenFor(app, bannerKey(app));
    const name = `Tool ${newId().slice(0, 6)}`;
    account = await app.directory.accounts.create({ name, realm: `${name.slice(5)}.tool.legwork.local` }, masterId);
    user = await app.directory.users.create(account.id, { username: 'tina', password: 'Tool-pass-1', first_name: 'Tina', last_name: 'T', dids: [did] });
  });
  afterAll(() => app.close());

  it("carries node, timestamp and version as api_util builds its envelope; version only for an authenticated request", async () => {
    const node = createHash('md5').update(NODE_ID).digest('base64url');
    const login = await raw(app, 'PUT', '/v2/api_auth', { body: { data: { api_key: bannerKey(app) } } });
    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ status: 'success', node, timestamp: expect.stringMatching(KAZOO_TIMESTAMP), version: expect.any(String), request_id: expect.any(String) });
    expect(Math.abs(Date.parse(String(login.body['timestamp'])) - Date.now())).toBeLessThan(60_000);
    const read = await raw(app, 'GET', `/v2/accounts/${masterId}`, { headers: { 'x-auth-token': masterToken } });
    expect(read.body).toMatchObject({ status: 'success', auth_token: masterToken, node, timestamp: expect.stringMatching(KAZOO_TIMESTAMP), version: login.body['version'], revision: expect.any(String) });
    const catalog = await raw(app, 'GET', '/v2/webhooks');
    expect(catalog.body).toMatchObject({ status: 'success', node, timestamp: expect.stringMatching(KAZOO_TIMESTAMP) });
    expect(catalog.body).not.toHaveProperty('version');
    const refused = await raw(app, 'GET', `/v2/accounts/${masterId}`);
    expect(refused.body).toMatchObject({ status: 'error', node, timestamp: expect.stringMatching(KAZOO_TIMESTAMP) });
    expect(refused.body).not.toHaveProperty('version');
  });

  it('answers every refused token or credential 401 invalid_credentials, in the same shape', async () => {
    const refusals = [
      await raw(app, 'PUT', '/v2/api_auth', { body: { data: { api_key: 'f'.repeat(64) } } }),
      await raw(app, 'PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials('tina', 'wrong'), account_name: account.name } } }),
      await raw(app, 'PUT', '/v2/user_auth', { body: { data: { credentials: sha1Credentials('tina', 'wrong'), method: 'sha', account_name: account.name } } }),
      await raw(app, 'GET', `/v2/accounts/${masterId}`),
      await raw(app, 'GET', `/v2/accounts/${masterId}`, { headers: { 'x-auth-token': 'x'.repeat(43) } }),
      await raw(app, 'GET', `/v2/accounts/${masterId}?auth_token=${'y'.repeat(43)}`),
      await raw(app, 'GET', `/v2/accounts/${masterId}`, { headers: { authorization: `Bearer ${'z'.repeat(43)}` } }),
    ];
    for (const res of refusals) expect(res).toMatchObject({ status: 401, body: INVALID_CREDENTIALS });
  });

  it('answers unknown documents 404 bad_identifier naming the id in cause', async () => {
    const unknown = newId();
    const res = await raw(app, 'GET', `/v2/accounts/${masterId}/users/${unknown}`, { headers: { 'x-auth-token': masterToken } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 'error', error: '404', message: 'bad_identifier', data: { cause: unknown, message: 'bad identifier' } });
  });

  it('takes the token from ?auth_token=, the body and Authorization: Bearer, in api_util order', async () => {
    const path = `/v2/accounts/${masterId}`;
    const bad = 'n'.repeat(43);
    const byQuery = await raw(app, 'GET', `${path}?auth_token=${masterToken}`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.body).toMatchObject({ status: 'success', auth_token: masterToken, data: { id: masterId }, version: expect.any(String) });
    const byBody = await raw(app, 'PATCH', path, { body: { auth_token: masterToken, data: { timezone: 'UTC' } } });
    expect({ status: byBody.status, auth_token: byBody.body['auth_token'] }).toEqual({ status: 200, auth_token: masterToken });
    expect((await raw(app, 'GET', path, { headers: { authorization: `Bearer ${masterToken}` } })).status).toBe(200);
    // X-Auth-Token decides when present; the query goes before the Bearer header
    expect((await raw(app, 'GET', `${path}?auth_token=${masterToken}`, { headers: { 'x-auth-token': bad } })).status).toBe(401);
    expect((await raw(app, 'GET', `${path}?auth_token=${bad}`, { headers: { 'x-auth-token': masterToken } })).status).toBe(200);
    expect((await raw(app, 'GET', `${path}?auth_token=${bad}`, { headers: { authorization: `Bearer ${masterToken}` } })).status).toBe(401);
    expect((await raw(app, 'GET', `${path}?auth_token=${masterToken}`, { headers: { authorization: `Bearer ${bad}` } })).status).toBe(200);
  });

  it("refuses an api_key that is not 64 characters with Kazoo's minLength / maxLength, never echoing the key", async () => {
    const short = await raw(app, 'PUT', '/v2/api_auth', { body: { data: { api_key: 'a'.repeat(63) } } });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: '400', message: 'invalid data', data: { api_key: { minLength: { message: 'String must be at least 64 characters', target: 64 } } } });
    const long = await raw(app, 'PUT', '/v2/api_auth', { body: { data: { api_key: 'b'.repeat(65) } } });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ data: { api_key: { maxLength: { message: 'String must not be more than 64 characters', target: 64 } } } });
    expect(JSON.stringify([short.body, long.body])).not.toMatch(/a{63}|b{65}/);
  });

  it("user_auth: method sha (sha1 of username:password), phone_number, and cb_user_auth's reply fields", async () => {
    const sha = await raw(app, 'PUT', '/v2/user_auth', { body: { data: { credentials: sha1Credentials('tina', 'Tool-pass-1'), method: 'sha', account_name: account.name } } });
    expect(sha.status).toBe(201);
    expect(sha.body['auth_token']).toEqual(expect.any(String));
    expect(sha.body['data']).toMatchObject({
      account_id: account.id, owner_id: user.id, account_name: account.name, apps: [], language: 'en-us',
      is_reseller: false, is_master_account: false, reseller_id: masterId,
    });
    const byNumber = await raw(app, 'PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials('tina', 'Tool-pass-1'), phone_number: did } } });
    expect(byNumber.status).toBe(201);
    expect(byNumber.body['data']).toMatchObject({ account_id: account.id, owner_id: user.id });
    const mismatched = await raw(app, 'PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials('tina', 'Tool-pass-1'), method: 'sha', account_realm: account.realm } } });
    expect(mismatched.status).toBe(400);
    expect(mismatched.body['data']).toHaveProperty('credentials');
    const master = await raw(app, 'PUT', '/v2/api_auth', { body: { data: { api_key: bannerKey(app) } } });
    expect(master.body['data']).toMatchObject({ account_id: masterId, is_master_account: true, is_reseller: true, apps: [], language: 'en-us' });
  });

  it('GET /v2/user_auth/{token} tells what the request’s own token stands for, and nothing about another', async () => {
    const login = await raw(app, 'PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials('tina', 'Tool-pass-1'), account_realm: account.realm } } });
    const token = String(login.body['auth_token']);
    const info = await raw(app, 'GET', `/v2/user_auth/${token}`, { headers: { 'x-auth-token': token } });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ status: 'success', auth_token: token });
    expect(info.body['data']).toMatchObject({ account_id: account.id, owner_id: user.id, method: 'user_auth', account_name: account.name, is_master_account: false, apps: [] });
    expect(Number((info.body['data'] as Json)['exp'])).toBeGreaterThan(Date.now() / 1000);
    expect(await raw(app, 'GET', `/v2/user_auth/${masterToken}`, { headers: { 'x-auth-token': token } })).toMatchObject({ status: 401, body: INVALID_CREDENTIALS });
    expect((await raw(app, 'GET', `/v2/user_auth/${token}`)).status).toBe(401);
  });

  describe('quickcall', () => {
    let media: FakeMediaNode;
    let deviceId: string;
    let base: string;

    beforeAll(async () => {
      media = new FakeMediaNode(app.infra.bus, `crossbar-tool-media-${newId().slice(0, 8)}`);
      await media.start();
      deviceId = (await app.directory.devices.create(account.id, { name: 'tool desk', owner_id: user.id, sip: { username: `tool-${newId().slice(0, 6)}`, password: 'pw' } })).id;
      base = `/v2/accounts/${account.id}/devices/${deviceId}/quickcall`;
      // the only media node of this platform has no rtpengine
      await app.infra.calls.nodes.heartbeat('crossbar-tool-media', 60_000, { app: 'media-node', [MEDIA_PROCESS_INFO]: 'false' });
    });

    it('Outbound-Call-IDs are 36 hex plus -quickcall; without rtpengine on the platform the default media is bypass', async () => {
      const res = await raw(app, 'GET', `${base}/+14155550142`, { headers: { 'x-auth-token': masterToken } });
      expect(res.status).toBe(202);
      const data = res.body['data'] as Json;
      expect(data['media']).toBe('bypass');
      const [endpoint] = data['endpoints'] as Json[];
      expect(endpoint['outbound_call_id']).toMatch(/^[0-9a-f]{36}-quickcall$/);
      const req = await waitFor(() => media.requests.find((r) => (r['Endpoints'] as Json[])[0]?.['Outbound-Call-ID'] === endpoint['outbound_call_id']), { message: 'the quickcall at the media node' });
      expect(req['Media']).toBe('bypass');
    });

    it('an explicit media=process is sent as asked, and its refusal for want of rtpengine reaches the caller', async () => {
      media.mode = { kind: 'error', message: 'MEDIA_SERVER_UNAVAILABLE' };
      const res = await raw(app, 'POST', `${base}/+14155550143?media=process`, { headers: { 'x-auth-token': masterToken } });
      media.mode = { kind: 'answer' };
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ message: 'quickcall initiation failed', data: { error_message: 'MEDIA_SERVER_UNAVAILABLE', request: { media: 'process' } } });
    });

    it('a token-less quickcall the device does not allow is 401 invalid_credentials', async () => {
      expect(await raw(app, 'GET', `${base}/+14155550144`)).toMatchObject({ status: 401, body: INVALID_CREDENTIALS });
    });
  });
});
