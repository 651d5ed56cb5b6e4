import { bannerKey, startKazooApp, tokenFor, type KazooApp } from '../../../test/kazoo-app.harness';

// Set before the gateway boots: only loopback 127.0.0.1 is allowed as a private target.
process.env['WEBHOOK_ALLOWED_HOSTS'] = '127.0.0.1';

describe('Kazoo /v2/accounts/{ACCOUNT_ID}/webhooks', () => {
  let app: KazooApp;
  let token: string;
  let accountId: string;
  const base = () => `/v2/accounts/${accountId}/webhooks`;

  beforeAll(async () => {
    app = await startKazooApp({ env: { RATE_BUCKET_BURST: '100000' } });
    token = await tokenFor(app, bannerKey(app));
    const master = await app.directory.accounts.getMaster();
    accountId = master?.id ?? '';
  });
  afterAll(() => app.close());

  it('creates, reads, lists, replaces and deletes hooks in the Kazoo envelope', async () => {
    const created = await app.call('PUT', base(), { token, body: { data: { name: 'crm', uri: 'http://127.0.0.1:9/h', hook: 'channel_answer', custom_data: { team: 'a' } } } });
    expect(created.status).toBe(201);
    const hook = created.body.data as Record<string, unknown>;
    expect(hook).toMatchObject({ name: 'crm', http_verb: 'post', retries: 3, format: 'json', enabled: true, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(created.body.revision).toBe(hook['revision']);
    const id = String(hook['id']);
    expect((await app.call('GET', `${base()}/${id}`, { token })).body.data).toMatchObject({ id, name: 'crm', custom_data: { team: 'a' } });
    expect((await app.call('GET', base(), { token })).body.data).toEqual([expect.objectContaining({ id, name: 'crm', enabled: true })]);
    const replaced = await app.call('POST', `${base()}/${id}`, { token, body: { data: { name: 'crm2', uri: 'http://127.0.0.1:9/h', hook: 'all', http_verb: 'get' } } });
    expect(replaced.body.data).toMatchObject({ name: 'crm2', hook: 'all', http_verb: 'get' });
    expect((await app.call('GET', `${base()}/${id}/attempts`, { token })).body.data).toEqual([]);
    expect((await app.call('DELETE', `${base()}/${id}`, { token })).status).toBe(200);
    expect((await app.call('GET', `${base()}/${id}`, { token })).status).toBe(404);
  });

  it('shows the generated signing secret once, in the create response, and never again', async () => {
    const created = await app.call('PUT', base(), { token, body: { data: { name: 'once', uri: 'http://127.0.0.1:9/once', hook: 'all', secret: 'client-chosen-secret' } } });
    expect(created.status).toBe(201);
    const secret = String((created.body.data as Record<string, unknown>)['secret']);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const id = String((created.body.data as Record<string, unknown>)['id']);
    expect((await app.directory.webhooks.get(accountId, id)).secret).toBe(secret);
    const one = `${base()}/${id}`;
    const replies = [
      await app.call('GET', one, { token }),
      await app.call('GET', base(), { token }),
      await app.call('PATCH', one, { token, body: { data: { name: 'once-2', secret: 'client-chosen-secret' } } }),
      await app.call('POST', one, { token, body: { data: { name: 'once-3', uri: 'http://127.0.0.1:9/once', hook: 'all' } } }),
      await app.call('GET', `${one}/attempts`, { token }),
      await app.call('DELETE', one, { token }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const seen = JSON.stringify(replies.map((r) => r.body));
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain('client-chosen-secret');
    expect(seen).not.toMatch(/"secret"/);
  });

  it('refuses private, link-local and loopback targets unless allow-listed, naming uri', async () => {
    for (const uri of ['http://10.0.0.1/', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://127.0.0.2/', 'http://172.16.0.9/']) {
      const res = await app.call('PUT', base(), { token, body: { data: { name: 'x', uri, hook: 'all' } } });
      expect(res.status).toBe(400);
      expect(res.body.data).toHaveProperty('uri.format.message');
    }
    const bad = await app.call('PUT', base(), { token, body: { data: { name: 'x', uri: 'ftp://example.com', hook: 'nope' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.data).toHaveProperty('uri');
    const ok = await app.call('PUT', base(), { token, body: { data: { name: 'x', uri: 'http://127.0.0.1:8080/', hook: 'all' } } });
    expect(ok.status).toBe(201);
    const id = String((ok.body.data as Record<string, unknown>)['id']);
    expect((await app.call('PATCH', `${base()}/${id}`, { token, body: { data: { uri: 'http://192.168.0.1/' } } })).status).toBe(400);
  });

  it('re-enables a disabled hook with PATCH {"re-enable": true} and serves its attempts', async () => {
    const hook = await app.directory.webhooks.create(accountId, { name: 'r', uri: 'http://127.0.0.1:9/r', hook: 'all' });
    await app.directory.webhooks.disable(accountId, hook.id, '6 failed deliveries within 60 s');
    await app.directory.webhooks.recordAttempt(accountId, hook.id, { timestamp: 1, hook_event: 'channel_answer', attempt: 1, result: 'failure', status_code: 500, duration_ms: 2 });
    expect((await app.call('GET', `${base()}/${hook.id}`, { token })).body.data).toMatchObject({ enabled: false, disabled_reason: expect.any(String) });
    const res = await app.call('PATCH', `${base()}/${hook.id}`, { token, body: { data: { 're-enable': true } } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ enabled: true });
    expect(res.body.data).not.toHaveProperty('disabled_reason');
    expect((await app.call('GET', `${base()}/${hook.id}/attempts`, { token })).body.data).toEqual([expect.objectContaining({ result: 'failure', status_code: 500 })]);
  });

  it('needs a token that reaches the account', async () => {
    expect((await app.call('GET', base())).status).toBe(401);
    const other = await app.directory.accounts.create({ name: 'other-wh', realm: 'other-wh.local' });
    const otherToken = await tokenFor(app, await app.directory.credentials.createApiKey(other.id));
    expect((await app.call('GET', base(), { token: otherToken })).status).toBe(403);
  });
});
