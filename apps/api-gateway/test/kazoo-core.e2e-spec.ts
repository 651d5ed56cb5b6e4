import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';

describe('Kazoo core (envelope, errors, rate limit, OpenAPI)', () => {
  let app: KazooApp;
  let masterId: string;
  let token: string;

  beforeAll(async () => {
    app = await startKazooApp({ env: { RATE_BUCKET_BURST: '1000', RATE_BUCKET_REFILL_PER_SECOND: '1000' } });
    token = await tokenFor(app, bannerKey(app));
    masterId = (await app.directory.accounts.getMaster())?.id ?? '';
  });
  afterAll(() => app.close());

  it('wraps results in the success envelope and echoes X-Request-ID as request_id', async () => {
    const res = await app.call('GET', `/v2/accounts/${masterId}`, { token, headers: { 'x-request-id': 'req-42' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ auth_token: token, request_id: 'req-42', status: 'success', data: { id: masterId } });
    expect(typeof res.body.revision).toBe('string');
    expect(res.headers.get('x-request-id')).toBe('req-42');
    const generated = await app.call('GET', `/v2/accounts/${masterId}`, { token });
    expect(generated.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body.request_id).not.toBe(res.body.request_id);
  });

  it('answers errors in the Kazoo error shape with request_id, node, timestamp and version', async () => {
    const res = await app.call('GET', `/v2/accounts/${masterId}/users/${'a'.repeat(32)}`, { token, headers: { 'x-request-id': 'req-err' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      auth_token: token,
      data: expect.any(Object),
      error: '404',
      message: 'bad_identifier',
      node: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      request_id: 'req-err',
      status: 'error',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      version: expect.any(String),
    });
  });

  it('maps directory validation failures to 400 invalid data nested field → rule → message', async () => {
    const res = await app.call('PUT', `/v2/accounts/${masterId}`, { token, body: { data: { realm: 'no spaces allowed here' } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: '400', message: 'invalid data', status: 'error' });
    const data = res.body.data as Record<string, Record<string, { message: string }>>;
    expect(Object.keys(data).length).toBeGreaterThan(0);
    for (const rules of Object.values(data)) for (const rule of Object.values(rules)) expect(typeof rule.message).toBe('string');
  });

  it('maps unique-name clashes to a 400 unique rule, as Kazoo does', async () => {
    const first = await app.call('PUT', `/v2/accounts/${masterId}`, { token, body: { data: { name: 'Uniq Co', realm: 'uniq-1.legwork.local' } } });
    expect(first.status).toBe(201);
    const clash = await app.call('PUT', `/v2/accounts/${masterId}`, { token, body: { data: { name: 'Uniq Co', realm: 'uniq-2.legwork.local' } } });
    expect(clash.status).toBe(400);
    expect(clash.body).toMatchObject({ message: 'invalid data', data: { name: { unique: { message: expect.any(String), value: 'uniq co' } } } });
  });

  it('answers malformed JSON and unknown routes below /v2 in the Kazoo shape', async () => {
    const json = await app.call('PUT', '/v2/api_auth', { body: '{"data": ' });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ status: 'error', error: '400', message: 'invalid json' });
    const route = await app.call('GET', '/v2/no_such_thing', { token });
    expect(route.status).toBe(404);
    expect(route.body).toMatchObject({ status: 'error', error: '404', message: 'not found' });
  });

  it('reads a JSON body sent without a JSON content type, as Kazoo clients do', async () => {
    const res = await fetch(`${app.url}/v2/api_auth`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ data: { api_key: bannerKey(app) } }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { data: { account_id: string } }).data.account_id).toBe(masterId);
  });

  it('leaves non-Kazoo routes alone', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('publishes Swagger UI at /docs and the OpenAPI document of the real routes at /docs-json', async () => {
    const doc = (await (await fetch(`${app.url}/docs-json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/v2/api_auth']).toHaveProperty('put');
    expect(doc.paths['/v2/user_auth']).toHaveProperty('put');
    expect(doc.paths['/v2/accounts/{accountId}']).toHaveProperty('get');
    expect(Object.keys(doc.paths).some((p) => p.includes('quickcall'))).toBe(true);
    const ui = await fetch(`${app.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});

describe('Kazoo per-account token bucket', () => {
  let app: KazooApp;

  beforeAll(async () => {
    app = await startKazooApp({ env: { RATE_BUCKET_BURST: '5', RATE_BUCKET_REFILL_PER_SECOND: '1' } });
  });
  afterAll(() => app.close());

  it('answers 429 once an account spent its burst, per account, and refills over time', async () => {
    const masterId = (await app.directory.accounts.getMaster())?.id ?? '';
    const token = await tokenFor(app, bannerKey(app));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await app.call('GET', `/v2/accounts/${masterId}`, { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await app.call('GET', `/v2/accounts/${masterId}`, { token });
    expect(limited.body).toMatchObject({ status: 'error', error: '429', message: 'too many requests' });

    const other = await app.directory.accounts.create({ name: 'Bucket Other', realm: 'bucket-other.legwork.local', limits: { quickcall_bucket: { burst: 2, refill_per_second: 1 } } }, masterId);
    const otherToken = await tokenFor(app, await app.directory.credentials.createApiKey(other.id));
    const own: number[] = [];
    for (let i = 0; i < 3; i += 1) own.push((await app.call('GET', `/v2/accounts/${other.id}`, { token: otherToken })).status);
    expect(own).toEqual([200, 200, 429]);

    app.advance(2_000);
    expect((await app.call('GET', `/v2/accounts/${masterId}`, { token })).status).toBe(200);
  });
});
