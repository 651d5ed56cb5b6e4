import { startKazooApp, type KazooApp } from './kazoo-app.harness';
import { expectKazooError } from './security.fixture';

// Requests without a valid token are limited by source and never spend a tenant's bucket.
describe('unauthenticated requests', () => {
  let app: KazooApp;

  beforeAll(async () => {
    app = await startKazooApp({ env: { RATE_BUCKET_BURST: '10', RATE_BUCKET_REFILL_PER_SECOND: '0.01', UNAUTHENTICATED_RATE_LIMIT: '40', UNAUTHENTICATED_RATE_WINDOW_SECONDS: '60' } });
  });
  afterAll(() => app.close());

  it("never drain the addressed account's bucket, and are refused by source past the limit", async () => {
    const master = await app.directory.accounts.getMaster();
    const victim = await app.directory.accounts.create({ name: 'Victim', realm: 'victim.legwork.local' }, master?.id);
    const device = await app.directory.devices.create(victim.id, { name: 'desk', sip: { username: 'desk', password: 'pw' } });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const path = i % 2 === 0 ? `/v2/accounts/${victim.id}/devices/${device.id}/quickcall/1002` : `/v2/accounts/${victim.id}/users`;
      statuses.push((await app.call('GET', path, i % 4 === 1 ? { token: 'x'.repeat(43) } : {})).status);
    }
    expect(statuses.slice(0, 40).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(40)).toEqual(Array<number>(10).fill(429));
    const refused = await app.call('GET', `/v2/accounts/${victim.id}/users`);
    expectKazooError(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // api_auth is itself unauthenticated (this source is refused now), so the admin's token comes from the directory
    const admin = await app.directory.credentials.issueToken({ accountId: victim.id, method: 'api_key' });
    expect((await app.call('GET', `/v2/accounts/${victim.id}`, { token: admin })).status).toBe(200);
  });
});
