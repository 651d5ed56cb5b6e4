import { newId } from '@legwork/common';
import { md5Credentials } from '@legwork/directory';
import type { KazooApp } from './kazoo-app.harness';
import { expectKazooError, PASSWORD, startSecurityWorld, userToken, type SecurityWorld } from './security.fixture';

// A plain user's token (user_auth, priv_level "user") reads and edits itself and its own devices, nothing else.
describe('priv_level: what a plain user token may do', () => {
  let app: KazooApp;
  let w: SecurityWorld;
  const acct = (): string => `/v2/accounts/${w.a.id}`;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  it("cannot change another user's password", async () => {
    const res = await app.call('PATCH', `${acct()}/users/${w.a.peerId}`, { token: w.a.userToken, body: { data: { password: 'owned-by-attacker' } } });
    expectKazooError(res, 403);
    const peer = await app.directory.users.get(w.a.id, w.a.peerId);
    await expect(userToken(app, w.a.realm, peer.username ?? '', PASSWORD)).resolves.toEqual(expect.any(String));
  });

  it('cannot raise itself to admin, enable itself or allow anonymous quickcalls on itself', async () => {
    for (const data of [{ priv_level: 'admin' }, { enabled: true, priv_level: 'admin' }, { allow_anonymous_quickcalls: true }]) {
      const res = await app.call('PATCH', `${acct()}/users/${w.a.userId}`, { token: w.a.userToken, body: { data } });
      expectKazooError(res, 403);
    }
    const me = await app.directory.users.get(w.a.id, w.a.userId);
    expect({ priv: me.priv_level, anon: me.allow_anonymous_quickcalls }).toEqual({ priv: 'user', anon: false });
  });

  it('cannot flip allow_anonymous_quickcalls on the account, nor create sub-accounts', async () => {
    expectKazooError(await app.call('PATCH', acct(), { token: w.a.userToken, body: { data: { allow_anonymous_quickcalls: true } } }), 403);
    expectKazooError(await app.call('PUT', acct(), { token: w.a.userToken, body: { data: { name: `sub-${newId().slice(0, 6)}`, realm: `sub-${newId().slice(0, 6)}.x.local` } } }), 403);
    expect((await app.directory.accounts.get(w.a.id)).allow_anonymous_quickcalls).toBe(false);
    expect(await app.directory.accounts.listChildren(w.a.id)).toEqual([]);
  });

  it("cannot hang up a call of another user's device", async () => {
    const callId = `${newId()}-quickcall`;
    await app.infra.calls.calls.create({ callId, accountId: w.a.id, nodeId: 'node-x', leg: 'a', endpointId: w.a.peerDeviceId, ownerId: w.a.peerId });
    expectKazooError(await app.call('PUT', `${acct()}/channels/${callId}`, { token: w.a.userToken, body: { data: { action: 'hangup' } } }), 403);
    expectKazooError(await app.call('GET', `${acct()}/channels/${callId}`, { token: w.a.userToken }), 403);
    expect((await app.call('GET', `${acct()}/channels`, { token: w.a.userToken })).body.data).toEqual([]);
  });

  it("cannot read SIP passwords of other users' devices, trunk passwords or webhook secrets", async () => {
    for (const path of [`devices/${w.a.peerDeviceId}`, `resources/${w.a.resourceId}`, `resources`, `webhooks/${w.a.webhookId}`, `webhooks`]) {
      const res = await app.call('GET', `${acct()}/${path}`, { token: w.a.userToken });
      expectKazooError(res, 403);
      expect(JSON.stringify(res.body)).not.toMatch(/sip-secret|trunk-secret|"secret"/);
    }
  });

  it('reads and edits itself and its own device, and originates only from its own devices or itself', async () => {
    expect((await app.call('GET', `${acct()}/users/${w.a.userId}`, { token: w.a.userToken })).status).toBe(200);
    const renamed = await app.call('PATCH', `${acct()}/users/${w.a.userId}`, { token: w.a.userToken, body: { data: { first_name: 'Renamed' } } });
    expect(renamed.status).toBe(200);
    const device = await app.call('PATCH', `${acct()}/devices/${w.a.userDeviceId}`, { token: w.a.userToken, body: { data: { name: 'my desk' } } });
    expect(device.status).toBe(200);
    const listed = (await app.call('GET', `${acct()}/devices`, { token: w.a.userToken })).body.data as Array<{ id: string }>;
    expect(listed.map((d) => d.id)).toEqual([w.a.userDeviceId]);
    const users = (await app.call('GET', `${acct()}/users`, { token: w.a.userToken })).body.data as Array<{ id: string }>;
    expect(users.map((u) => u.id)).toEqual([w.a.userId]);
    const reassign = await app.call('PATCH', `${acct()}/devices/${w.a.userDeviceId}`, { token: w.a.userToken, body: { data: { owner_id: w.a.peerId } } });
    expectKazooError(reassign, 403);
    expect((await app.directory.devices.get(w.a.id, w.a.userDeviceId)).owner_id).toBe(w.a.userId);
    expectKazooError(await app.call('GET', `${acct()}/devices/${w.a.peerDeviceId}/quickcall/1002`, { token: w.a.userToken }), 403);
    expectKazooError(await app.call('GET', `${acct()}/users/${w.a.peerId}/quickcall/1002`, { token: w.a.userToken }), 403);
    for (const path of [`devices/${w.a.userDeviceId}/quickcall/1002`, `users/${w.a.userId}/quickcall/1002`]) {
      const res = await app.call('GET', `${acct()}/${path}`, { token: w.a.userToken });
      expect([res.status, res.body.message]).toEqual([500, 'quickcall initiation failed']);
    }
  });

  it('lets an admin user and an API key manage the account, users included', async () => {
    const res = await app.call('PATCH', `${acct()}/users/${w.a.peerId}`, { token: w.a.adminToken, body: { data: { priv_level: 'admin' } } });
    expect(res.status).toBe(200);
    expect((await app.call('GET', `${acct()}/webhooks/${w.a.webhookId}`, { token: w.a.keyToken })).status).toBe(200);
    const login = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials(`peer-${w.a.name}`, PASSWORD), account_realm: w.a.realm } } });
    expect(login.status).toBe(201);
  });
});
