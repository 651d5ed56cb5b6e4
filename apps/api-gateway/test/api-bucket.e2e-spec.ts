import { randomBytes } from 'node:crypto';
import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';
import { expectKazooError } from './security.fixture';

const tag = (): string => randomBytes(3).toString('hex');
const limitsOf = (body: { data?: unknown }): unknown => (body.data as { limits?: unknown }).limits;

// limits.api_bucket meters every request addressing an account; Kazoo clients may still send its old name, quickcall_bucket.
describe('limits.api_bucket through the Kazoo API', () => {
  let app: KazooApp;
  let masterId: string;
  let masterToken: string;

  beforeAll(async () => {
    app = await startKazooApp({ env: { RATE_BUCKET_BURST: '100000', RATE_BUCKET_REFILL_PER_SECOND: '1000' } });
    masterToken = await tokenFor(app, bannerKey(app));
    masterId = (await app.directory.accounts.getMaster())?.id ?? '';
  });
  afterAll(() => app.close());

  it('accepts quickcall_bucket as an alias and answers with api_bucket, which meters the account', async () => {
    const t = tag();
    const limits = { quickcall_bucket: { burst: 3, refill_per_second: 0.01 } };
    const created = await app.call('PUT', `/v2/accounts/${masterId}`, { token: masterToken, body: { data: { name: `alias-${t}`, realm: `alias-${t}.x.local`, limits } } });
    expect(created.status).toBe(201);
    expect(limitsOf(created.body)).toEqual({ api_bucket: { burst: 3, refill_per_second: 0.01 } });
    const id = String((created.body.data as { id: string }).id);
    const read = await app.call('GET', `/v2/accounts/${id}`, { token: masterToken });
    expect(limitsOf(read.body)).toEqual({ api_bucket: { burst: 3, refill_per_second: 0.01 } });
    expect(JSON.stringify(read.body)).not.toContain('quickcall_bucket');
    const token = await tokenFor(app, await app.directory.credentials.createApiKey(id));
    // Every request addressing the account draws from its bucket: the master's read above took the first token.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.call('GET', `/v2/accounts/${id}`, { token })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('takes the new name on PATCH and names a bad field the way it was sent', async () => {
    const t = tag();
    const created = await app.call('PUT', `/v2/accounts/${masterId}`, { token: masterToken, body: { data: { name: `new-${t}`, realm: `new-${t}.x.local` } } });
    const id = String((created.body.data as { id: string }).id);
    const patched = await app.call('PATCH', `/v2/accounts/${id}`, { token: masterToken, body: { data: { limits: { api_bucket: { burst: 9, refill_per_second: 3 } } } } });
    expect(patched.status).toBe(200);
    expect(limitsOf(patched.body)).toEqual({ api_bucket: { burst: 9, refill_per_second: 3 } });
    const old = await app.call('PATCH', `/v2/accounts/${id}`, { token: masterToken, body: { data: { limits: { quickcall_bucket: { burst: 'many' } } } } });
    expectKazooError(old, 400);
    expect(old.body.data).toHaveProperty(['limits.quickcall_bucket.burst', 'type']);
    const current = await app.call('PATCH', `/v2/accounts/${id}`, { token: masterToken, body: { data: { limits: { api_bucket: { burst: 'many' } } } } });
    expectKazooError(current, 400);
    expect(current.body.data).toHaveProperty(['limits.api_bucket.burst', 'type']);
    const both = await app.call('PATCH', `/v2/accounts/${id}`, { token: masterToken, body: { data: { limits: { api_bucket: { burst: 4 }, quickcall_bucket: { burst: 5 } } } } });
    expectKazooError(both, 400);
    expect(both.body.data).toHaveProperty(['limits.quickcall_bucket', 'invalid']);
    expect((await app.directory.accounts.get(id)).limits).toEqual({ api_bucket: { burst: 9, refill_per_second: 3 } });
  });
});
