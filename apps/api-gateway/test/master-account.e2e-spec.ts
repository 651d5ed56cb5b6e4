import { createInfrastructure, createLogger } from '@legwork/platform';
import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';
import { expectKazooError, startSecurityWorld, type SecurityWorld } from './security.fixture';

// Nobody can lock the platform out: the master account is never disabled or deleted, no account disables itself.
describe('master and own-account protection', () => {
  let app: KazooApp;
  let w: SecurityWorld;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  it('refuses disabling or deleting the master account, and the bootstrap key still logs in', async () => {
    const master = `/v2/accounts/${w.masterId}`;
    expectKazooError(await app.call('PATCH', master, { token: w.masterToken, body: { data: { enabled: false } } }), 403);
    expectKazooError(await app.call('POST', master, { token: w.masterToken, body: { data: { name: 'master', realm: 'legwork.local', enabled: false } } }), 403);
    expectKazooError(await app.call('DELETE', master, { token: w.masterToken }), 403);
    await expect(app.directory.accounts.patch(w.masterId, { enabled: false })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await app.directory.accounts.get(w.masterId)).enabled).toBe(true);
    await expect(tokenFor(app, bannerKey(app))).resolves.toEqual(expect.any(String));
  });

  it('refuses an account disabling or deleting itself through its own token, and lets its parent do it', async () => {
    const own = `/v2/accounts/${w.a.id}`;
    for (const token of [w.a.keyToken, w.a.adminToken]) {
      expectKazooError(await app.call('PATCH', own, { token, body: { data: { enabled: false } } }), 403);
      expectKazooError(await app.call('DELETE', own, { token }), 403);
    }
    expect((await app.directory.accounts.get(w.a.id)).enabled).toBe(true);
    expect((await app.call('PATCH', own, { token: w.masterToken, body: { data: { enabled: false } } })).status).toBe(200);
    expect((await app.call('PATCH', own, { token: w.masterToken, body: { data: { enabled: true } } })).status).toBe(200);
  });
});

describe('a master account disabled before it was protected', () => {
  it('is enabled again at boot, so the bootstrap key logs in', async () => {
    const infra = createInfrastructure({ appName: 'api-gateway', nodeId: 'locked-out', logger: createLogger('t', 'silent') });
    await infra.start();
    const key = 'ab'.repeat(32);
    const master = await infra.directory.accounts.create({ name: 'master', realm: 'legwork.local', enabled: false });
    const app = await startKazooApp({ infra, env: { LEGWORK_BOOTSTRAP_API_KEY: key } });
    try {
      expect((await app.directory.accounts.get(master.id)).enabled).toBe(true);
      await expect(tokenFor(app, key)).resolves.toEqual(expect.any(String));
    } finally {
      await app.close();
      await infra.close();
    }
  });
});
