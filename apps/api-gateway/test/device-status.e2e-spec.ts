import { bannerKey, startKazooApp, tokenFor, type KazooApp } from './kazoo-app.harness';

type Status = Array<{ device_id: string; registered: boolean }>;

describe('Kazoo GET /v2/accounts/{id}/devices/status (gateway, in-process)', () => {
  let app: KazooApp;
  let token: string;
  let base: string;
  const ids: Record<string, string> = {};

  const device = async (name: string): Promise<string> => {
    const res = await app.call('PUT', `${base}/devices`, { token, body: { data: { name, sip: { username: name, password: 'pw' } } } });
    expect(res.status).toBe(201);
    return String((res.body.data as { id: string }).id);
  };
  const bind = (username: string, expiresInMs: number): Promise<void> =>
    app.infra.calls.registrations.upsert(`${username}@legwork.local`, { uri: `sip:${username}@127.0.0.1:5070`, expiresAt: Date.now() + expiresInMs, nodeId: 'node-1', transport: 'udp' });

  beforeAll(async () => {
    app = await startKazooApp();
    token = await tokenFor(app, bannerKey(app));
    const auth = await app.call('GET', `/v2/user_auth/${token}`, { token });
    base = `/v2/accounts/${String((auth.body.data as { account_id: string }).account_id)}`;
    ids.up = await device('desk-up');
    ids.down = await device('desk-down');
    await bind('desk-up', 60_000);
  });
  afterAll(() => app?.close());

  it("answers each device's registration, and `status` is never read as a device id", async () => {
    const res = await app.call('GET', `${base}/devices/status`, { token });
    expect(res.status).toBe(200);
    expect(new Set(res.body.data as Status)).toEqual(new Set([{ device_id: ids.up, registered: true }, { device_id: ids.down, registered: false }]));
  });

  it('a binding that lapsed counts as unregistered', async () => {
    await bind('desk-down', 60_000);
    app.advance(120_000);
    const res = await app.call('GET', `${base}/devices/status`, { token });
    expect((res.body.data as Status).filter((s) => s.registered)).toEqual([]);
  });

  it('without a token: 401 in the Kazoo envelope', async () => {
    const res = await app.call('GET', `${base}/devices/status`);
    expect([res.status, res.body.status]).toEqual([401, 'error']);
  });
});
