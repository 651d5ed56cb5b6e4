import { randomBytes } from 'node:crypto';
import { md5Credentials } from '@legwork/directory';
import type { KazooApp } from './kazoo-app.harness';
import { expectKazooError, PASSWORD, startSecurityWorld, type SecurityWorld } from './security.fixture';

// One tenant can neither take another's SIP realm or names, nor learn which ones it uses.
describe('cross-tenant squatting', () => {
  let app: KazooApp;
  let w: SecurityWorld;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  const device = (accountId: string, token: string, sip: Record<string, unknown>) =>
    app.call('PUT', `/v2/accounts/${accountId}/devices`, { token, body: { data: { name: 'squat', sip: { password: 'pw', ...sip } } } });

  it("refuses a device in A on B's realm the same way whether or not B uses the username", async () => {
    const theirs = await app.directory.devices.get(w.b.id, w.b.userDeviceId);
    const taken = await device(w.a.id, w.a.keyToken, { username: theirs.sip.username, realm: w.b.realm });
    const free = await device(w.a.id, w.a.keyToken, { username: `free-${randomBytes(3).toString('hex')}`, realm: w.b.realm });
    for (const res of [taken, free]) {
      expectKazooError(res, 400);
      expect(Object.keys(res.body.data as object)).toEqual(['sip.realm']);
    }
    expect(taken.body.data).toEqual(free.body.data);
  });

  it('lets two accounts use the same SIP username, each on its own realm', async () => {
    const theirs = await app.directory.devices.get(w.b.id, w.b.userDeviceId);
    const mine = await device(w.a.id, w.a.keyToken, { username: theirs.sip.username });
    expect(mine.status).toBe(201);
    expect(mine.body.data).toMatchObject({ sip: { username: theirs.sip.username, realm: w.a.realm } });
    expect((await app.directory.devices.findBySip(theirs.sip.username, w.b.realm))?.id).toBe(theirs.id);
  });

  it("keeps B's realm login working when A names a sub-account after B's realm", async () => {
    const squat = await app.call('PUT', `/v2/accounts/${w.a.id}`, { token: w.a.keyToken, body: { data: { name: w.b.realm, realm: `squat-${randomBytes(3).toString('hex')}.x.local` } } });
    expect(squat.status).toBe(201);
    const login = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials(`user-${w.b.name}`, PASSWORD), account_realm: w.b.realm } } });
    expect(login.status).toBe(201);
    expect(login.body.data).toMatchObject({ account_id: w.b.id });
  });

  it('keeps account names unique among siblings only, and logs users in by a shared name', async () => {
    const name = `Shared ${randomBytes(3).toString('hex')}`;
    const make = (t: { id: string; keyToken: string }) =>
      app.call('PUT', `/v2/accounts/${t.id}`, { token: t.keyToken, body: { data: { name, realm: `sh-${randomBytes(3).toString('hex')}.x.local` } } });
    const inA = await make(w.a);
    const inB = await make(w.b);
    expect([inA.status, inB.status]).toEqual([201, 201]);
    const twin = await make(w.a);
    expectKazooError(twin, 400);
    expect(twin.body.data).toHaveProperty(['name', 'unique']);
    for (const created of [inA, inB]) {
      const id = String((created.body.data as { id: string }).id);
      const username = `u-${id.slice(0, 6)}`;
      await app.directory.users.create(id, { first_name: 'S', last_name: 'N', username, password: PASSWORD });
      const login = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials(username, PASSWORD), account_name: name } } });
      expect([login.status, (login.body.data as { account_id?: string }).account_id]).toEqual([201, id]);
    }
  });
});
