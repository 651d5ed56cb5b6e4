import { randomBytes } from 'node:crypto';
import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';
import { expectKazooError } from './security.fixture';

const tag = (): string => randomBytes(3).toString('hex');

// A capped tenant cannot escape its limits through the sub-accounts it creates.
describe('account limits along the account tree', () => {
  let app: KazooApp;
  let masterToken: string;
  let tenantId: string;
  let tenantToken: string;

  beforeAll(async () => {
    app = await startKazooApp({ env: { RATE_BUCKET_BURST: '100000', RATE_BUCKET_REFILL_PER_SECOND: '1000' } });
    masterToken = await tokenFor(app, bannerKey(app));
    const masterId = (await app.directory.accounts.getMaster())?.id ?? '';
    const limits = { max_concurrent_channels: 10, quickcall_bucket: { burst: 1000, refill_per_second: 100 } };
    const t = tag();
    const created = await app.call('PUT', `/v2/accounts/${masterId}`, { token: masterToken, body: { data: { name: `capped-${t}`, realm: `capped-${t}.x.local`, limits } } });
    tenantId = String((created.body.data as { id: string }).id);
    tenantToken = await tokenFor(app, await app.directory.credentials.createApiKey(tenantId));
  });
  afterAll(() => app.close());

  it("refuses a sub-account whose limits exceed its parent's, naming the field", async () => {
    const t = tag();
    const escape = { max_concurrent_channels: 100_000, quickcall_bucket: { burst: 1_000_000, refill_per_second: 100 } };
    const res = await app.call('PUT', `/v2/accounts/${tenantId}`, { token: tenantToken, body: { data: { name: `esc-${t}`, realm: `esc-${t}.x.local`, limits: escape } } });
    expectKazooError(res, 400);
    expect(res.body.data).toHaveProperty(['limits.max_concurrent_channels', 'maximum']);
    expect(res.body.data).toHaveProperty(['limits.quickcall_bucket.burst', 'maximum']);
    expect(await app.directory.accounts.listChildren(tenantId)).toEqual([]);
  });

  it('refuses raising a sub-account above its parent later, and a parent lowering itself below a sub-account', async () => {
    const t = tag();
    const ok = await app.call('PUT', `/v2/accounts/${tenantId}`, { token: tenantToken, body: { data: { name: `sub-${t}`, realm: `sub-${t}.x.local`, limits: { max_concurrent_channels: 8 } } } });
    expect(ok.status).toBe(201);
    const childId = String((ok.body.data as { id: string }).id);
    const raise = await app.call('PATCH', `/v2/accounts/${childId}`, { token: tenantToken, body: { data: { limits: { max_concurrent_channels: 11 } } } });
    expectKazooError(raise, 400);
    expect(raise.body.data).toHaveProperty(['limits.max_concurrent_channels', 'maximum']);
    const lower = await app.call('PATCH', `/v2/accounts/${tenantId}`, { token: masterToken, body: { data: { limits: { max_concurrent_channels: 5 } } } });
    expectKazooError(lower, 400);
    expect(lower.body.data).toHaveProperty(['limits.max_concurrent_channels', 'minimum']);
    expect((await app.directory.accounts.get(tenantId)).limits.max_concurrent_channels).toBe(10);
    expect((await app.call('DELETE', `/v2/accounts/${childId}`, { token: tenantToken })).status).toBe(200);
  });

  it("draws a request addressing a sub-account from the parent's bucket too", async () => {
    const t = tag();
    const parent = await app.directory.accounts.create({ name: `bp-${t}`, realm: `bp-${t}.x.local`, limits: { quickcall_bucket: { burst: 4, refill_per_second: 0.01 } } }, tenantId);
    const child = await app.directory.accounts.create({ name: `bc-${t}`, realm: `bc-${t}.x.local`, limits: { quickcall_bucket: { burst: 4, refill_per_second: 0.01 } } }, parent.id);
    const childToken = await tokenFor(app, await app.directory.credentials.createApiKey(child.id));
    const parentToken = await tokenFor(app, await app.directory.credentials.createApiKey(parent.id));
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await app.call('GET', `/v2/accounts/${parent.id}`, { token: parentToken })).status);
    for (let i = 0; i < 3; i++) statuses.push((await app.call('GET', `/v2/accounts/${child.id}`, { token: childToken })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});
