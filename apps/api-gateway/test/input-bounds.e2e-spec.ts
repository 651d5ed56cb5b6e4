import type { KazooApp } from './kazoo-app.harness';
import { expectKazooError, startSecurityWorld, type SecurityWorld } from './security.fixture';

// Oversized ids, keys and nesting are refused where they enter, in Kazoo's error shape, never as a 500.
describe('input bounds', () => {
  let app: KazooApp;
  let w: SecurityWorld;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  it('answers 400 for a 300-character channel id', async () => {
    for (const method of ['GET', 'PUT']) {
      const res = await app.call(method, `/v2/accounts/${w.a.id}/channels/${'c'.repeat(300)}`, { token: w.a.keyToken, body: method === 'PUT' ? { data: { action: 'hangup' } } : undefined });
      expectKazooError(res, 400);
      expect(res.body.data).toHaveProperty('callId');
    }
  });

  it('answers 400 naming Idempotency-Key when it is over 256 characters', async () => {
    const res = await app.call('POST', `/v2/accounts/${w.a.id}/devices/${w.a.userDeviceId}/quickcall/1002`, { token: w.a.keyToken, body: {}, headers: { 'idempotency-key': 'k'.repeat(300) } });
    expectKazooError(res, 400);
    expect(res.body.data).toHaveProperty('idempotency_key');
  });

  it('answers 400 for a body nested 12,000 levels deep, and keeps the document', async () => {
    const deep = `${'{"a":'.repeat(12_000)}1${'}'.repeat(12_000)}`;
    const res = await app.call('PATCH', `/v2/accounts/${w.a.id}/users/${w.a.userId}`, { token: w.a.keyToken, body: `{"data":{"caller_id":${deep}}}` });
    expectKazooError(res, 400);
    expect(res.body.message).toBe('invalid json');
    expect((await app.directory.users.get(w.a.id, w.a.userId)).caller_id).toBeUndefined();
    const arrays = await app.call('PUT', `/v2/accounts/${w.a.id}/devices`, { token: w.a.keyToken, body: `{"data":${'['.repeat(5000)}${']'.repeat(5000)}}` });
    expectKazooError(arrays, 400);
  });

  it('answers 400 for an overlong path id instead of touching the store', async () => {
    const res = await app.call('GET', `/v2/accounts/${w.a.id}/users/${'u'.repeat(300)}`, { token: w.a.keyToken });
    expectKazooError(res, 400);
    expect(res.body.data).toHaveProperty('id');
  });
});
