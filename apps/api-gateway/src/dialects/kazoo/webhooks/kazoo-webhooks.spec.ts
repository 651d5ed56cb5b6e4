import { bannerKey, startKazooApp, tokenFor, type KazooApp } from '../../../../test/kazoo-app.harness';

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
    expect(hook).toMatchObject({ name: 'crm', http_verb: 'post', retries: 2, format: 'form-data', include_internal_legs: true, enabled: true, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
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

  it("keeps Kazoo's ranges for retries and honours modifiers and include_internal_legs on writes", async () => {
    const bad = await app.call('PUT', base(), { token, body: { data: { name: 'r', uri: 'http://127.0.0.1:9/r', hook: 'all', retries: 5 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.data).toHaveProperty('retries.maximum');
    const created = await app.call('PUT', base(), { token, body: { data: { name: 'm', uri: 'http://127.0.0.1:9/m', hook: 'channel_create', retries: 0, include_internal_legs: false, modifiers: { call_direction: 'inbound' } } } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ retries: 0, include_internal_legs: false, modifiers: { call_direction: 'inbound' } });
  });

  it('serves the available hooks and their samples without a token', async () => {
    const available = await app.call('GET', '/v2/webhooks');
    expect(available.status).toBe(200);
    expect(available.body.data).toEqual(expect.arrayContaining([{ id: 'channel_create', name: 'Channel Create', description: 'This webhook is triggered when a new channel is created' }]));
    expect((available.body.data as Array<{ id: string }>).map((h) => h.id).sort()).toEqual(['channel_answer', 'channel_bridge', 'channel_create', 'channel_destroy', 'device_registered', 'originate_failed', 'push_failed', 'push_sent']);
    const names = await app.call('GET', '/v2/webhooks/samples');
    expect(names.body.data).toEqual(['webhooks_channel_answer', 'webhooks_channel_bridge', 'webhooks_channel_create', 'webhooks_channel_destroy', 'webhooks_device_registered', 'webhooks_originate_failed', 'webhooks_push_failed', 'webhooks_push_sent']);
    const bridge = await app.call('GET', '/v2/webhooks/samples/webhooks_channel_bridge');
    expect(bridge.status).toBe(200);
    expect(bridge.body.data).toEqual([expect.objectContaining({ hook_event: 'channel_bridge', other_leg_destination_number: expect.any(String), is_internal_leg: false, custom_channel_vars: { 'Original-Number': '+14155550100' } })]);
    const unknown = await app.call('GET', '/v2/webhooks/samples/webhooks_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 'error', error: '404' });
  });

  it('re-enables every auto-disabled hook of the account with PATCH {"data": {"re-enable": true}}, refusing anything else', async () => {
    const acct = await app.directory.accounts.create({ name: 'reenable-wh', realm: 'reenable-wh.local' }, accountId);
    const auto = await app.directory.webhooks.create(acct.id, { name: 'a', uri: 'http://127.0.0.1:9/a', hook: 'all' });
    const manual = await app.directory.webhooks.create(acct.id, { name: 'm', uri: 'http://127.0.0.1:9/m', hook: 'all', enabled: false });
    await app.directory.webhooks.disable(acct.id, auto.id, '6 failed deliveries within 60 s');
    const path = `/v2/accounts/${acct.id}/webhooks`;
    const missing = await app.call('PATCH', path, { token, body: { data: {} } });
    expect([missing.status, missing.body.data]).toEqual([400, { 're-enable': { required: { message: 're-enable is required to patch collections' } } }]);
    const no = await app.call('PATCH', path, { token, body: { data: { 're-enable': false } } });
    expect(no.status).toBe(400);
    expect(no.body.data).toHaveProperty(['re-enable', 'enum', 'message'], 'value not found in enumerated list of values');
    expect((await app.directory.webhooks.get(acct.id, auto.id)).enabled).toBe(false);
    const ok = await app.call('PATCH', path, { token, body: { data: { 're-enable': true } } });
    expect([ok.status, ok.body.status, ok.body.data]).toEqual([200, 'success', 'hooks updated']);
    expect((await app.directory.webhooks.get(acct.id, auto.id)).enabled).toBe(true);
    expect((await app.directory.webhooks.get(acct.id, manual.id)).enabled).toBe(false);
  });

  it('serves the attempts of every hook of the account at …/webhooks/attempts', async () => {
    const acct = await app.directory.accounts.create({ name: 'attempts-wh', realm: 'attempts-wh.local' }, accountId);
    const one = await app.directory.webhooks.create(acct.id, { name: 'a', uri: 'http://127.0.0.1:9/a', hook: 'all' });
    const two = await app.directory.webhooks.create(acct.id, { name: 'b', uri: 'http://127.0.0.1:9/b', hook: 'all' });
    await app.directory.webhooks.recordAttempt(acct.id, one.id, { timestamp: 10, hook_event: 'channel_create', attempt: 1, result: 'failure', status_code: 500, duration_ms: 2 });
    await app.directory.webhooks.recordAttempt(acct.id, two.id, { timestamp: 20, hook_event: 'channel_answer', attempt: 1, result: 'success', status_code: 200, duration_ms: 2 });
    const res = await app.call('GET', `/v2/accounts/${acct.id}/webhooks/attempts`, { token });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([expect.objectContaining({ hook_id: two.id, hook_event: 'channel_answer', result: 'success' }), expect.objectContaining({ hook_id: one.id, result: 'failure' })]);
  });

  it('needs a token that reaches the account', async () => {
    expect((await app.call('GET', base())).status).toBe(401);
    const other = await app.directory.accounts.create({ name: 'other-wh', realm: 'other-wh.local' });
    const otherToken = await tokenFor(app, await app.directory.credentials.createApiKey(other.id));
    expect((await app.call('GET', base(), { token: otherToken })).status).toBe(403);
    expect((await app.call('GET', `${base()}/attempts`, { token: otherToken })).status).toBe(403);
    expect((await app.call('PATCH', base(), { token: otherToken, body: { data: { 're-enable': true } } })).status).toBe(403);
    expect((await app.call('PATCH', base(), { body: { data: { 're-enable': true } } })).status).toBe(401);
  });
});
