import type { KazooApp } from './kazoo-app.harness';
import { expectKazooError, startSecurityWorld, type SecurityWorld } from './security.fixture';

// Outbound rules bound what a tenant may dial and present: like limits, only the parent sets them, and a plain user never lifts its own.
describe('outbound rules are the parent\'s to set', () => {
  let app: KazooApp;
  let w: SecurityWorld;

  beforeAll(async () => {
    ({ app, w } = await startSecurityWorld());
    await app.directory.accounts.patch(w.a.id, { country: 'US', outbound: { deny_classes: ['premium_rate', 'shared_cost', 'toll_free'], allow_international: false } });
  });
  afterAll(() => app.close());

  it('keeps a sub-account admin from lifting its own account\'s outbound rules or moving its country', async () => {
    const own = `/v2/accounts/${w.a.id}`;
    for (const token of [w.a.keyToken, w.a.adminToken]) {
      const res = await app.call('PATCH', own, { token, body: { data: { country: 'GB', outbound: { deny_classes: [], allow_international: true, caller_id_numbers: ['^.*$'] }, timezone: 'UTC' } } });
      expect(res.status).toBe(200);
    }
    const stored = await app.directory.accounts.get(w.a.id);
    expect(stored.country).toBe('US');
    expect(stored.outbound).toMatchObject({ deny_classes: ['premium_rate', 'shared_cost', 'toll_free'], allow_international: false });
    expect(stored.outbound?.caller_id_numbers ?? []).toEqual([]);
    expect(stored.timezone).toBe('UTC');
  });

  it("keeps a sub-account from moving its own extension_prefix, which routes other accounts' extended numbers", async () => {
    const unset = await app.call('PATCH', `/v2/accounts/${w.a.id}`, { token: w.a.adminToken, body: { data: { extension_prefix: '0008' } } });
    expect(unset.status).toBe(200);
    expect((await app.directory.accounts.get(w.a.id)).extension_prefix).toBeUndefined();
    await app.directory.accounts.patch(w.a.id, { extension_prefix: '0003' });
    const res = await app.call('PATCH', `/v2/accounts/${w.a.id}`, { token: w.a.adminToken, body: { data: { extension_prefix: '0009' } } });
    expect(res.status).toBe(200);
    expect((await app.directory.accounts.get(w.a.id)).extension_prefix).toBe('0003');
    const byParent = await app.call('PATCH', `/v2/accounts/${w.a.id}`, { token: w.masterToken, body: { data: { extension_prefix: '0004' } } });
    expect(byParent.status).toBe(200);
    expect((await app.directory.accounts.get(w.a.id)).extension_prefix).toBe('0004');
  });

  it('lets the parent change them', async () => {
    const res = await app.call('PATCH', `/v2/accounts/${w.a.id}`, { token: w.masterToken, body: { data: { outbound: { deny_classes: ['premium_rate'] } } } });
    expect(res.status).toBe(200);
    expect((await app.directory.accounts.get(w.a.id)).outbound?.deny_classes).toEqual(['premium_rate']);
  });

  it('refuses a plain user changing its own outbound rules, and lets an admin do it', async () => {
    await app.directory.users.patch(w.a.id, w.a.userId, { outbound: { allow_international: false } });
    const self = `/v2/accounts/${w.a.id}/users/${w.a.userId}`;
    expectKazooError(await app.call('PATCH', self, { token: w.a.userToken, body: { data: { outbound: { allow_international: true } } } }), 403);
    expect((await app.directory.users.get(w.a.id, w.a.userId)).outbound).toMatchObject({ allow_international: false });
    expect((await app.call('PATCH', self, { token: w.a.adminToken, body: { data: { outbound: { allow_international: true } } } })).status).toBe(200);
    expect((await app.directory.users.get(w.a.id, w.a.userId)).outbound).toMatchObject({ allow_international: true });
  });
});
