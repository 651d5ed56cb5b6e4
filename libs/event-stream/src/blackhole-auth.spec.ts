import { waitFor } from '@legwork/common/testing';
import { BlackholeClient, StreamFixture, type StreamNode } from './testing';
import { CLOSE_CODES } from './blackhole.protocol';

const REVERIFY_MS = 100;

/** Authenticate once, live past the token's expiry, die with the credentials (real RabbitMQ and Redis). */
describe('blackhole socket authentication', () => {
  // Tokens of this fixture expire after one second.
  const fx = new StreamFixture('evauth', 1);
  let node: StreamNode;
  const clients: BlackholeClient[] = [];
  const client = async (): Promise<BlackholeClient> => {
    const c = await BlackholeClient.connect(node.url);
    clients.push(c);
    return c;
  };
  const idOf = (e: Record<string, unknown>): unknown => (e['data'] as Record<string, unknown>)['call_id'];

  beforeAll(async () => {
    await fx.start();
    node = await fx.node({ reverifyIntervalMs: REVERIFY_MS });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => fx.close());

  it('needs a token on the first frame only; later subscribes carry none, and a later token is ignored', async () => {
    const a = await fx.account();
    const b = await fx.account();
    const c = await client();
    expect(await c.subscribe(undefined, a.id, 'call.*.*')).toMatchObject({ status: 'error', data: { errors: ['authentication token required'] } });
    expect(await c.subscribe(a.token, a.id, 'call.CHANNEL_CREATE.*')).toMatchObject({ status: 'success' });
    expect(await c.subscribe(undefined, a.id, 'call.CHANNEL_ANSWER.*')).toMatchObject({ status: 'success', data: { subscribed: ['call.CHANNEL_CREATE.*', 'call.CHANNEL_ANSWER.*'] } });
    // b's token does not turn this socket into b's.
    expect(await c.subscribe(b.token, b.id, 'call.*.*')).toMatchObject({ status: 'error', data: { errors: ['unauthorized account id'] } });
    await fx.publish('CHANNEL_ANSWER', a.id, 'second');
    expect((await c.waitForEvents(1)).map(idOf)).toEqual(['second']);
  });

  it('stays open and keeps delivering past its token’s expiry, then closes with 4001 once the token is revoked', async () => {
    const a = await fx.account();
    const c = await client();
    expect(await c.subscribe(a.token, a.id, 'call.*.*')).toMatchObject({ status: 'success' });
    await new Promise((r) => setTimeout(r, 1500));
    await expect(fx.directory.credentials.verifyToken(a.token)).rejects.toMatchObject({ code: 'unauthorized' });
    await fx.publish('CHANNEL_CREATE', a.id, 'after-expiry');
    expect((await c.waitForEvents(1)).map(idOf)).toEqual(['after-expiry']);
    expect(await c.subscribe(undefined, a.id, 'call.CHANNEL_HOLD.*')).toMatchObject({ status: 'success' });

    const live = await fx.account();
    const d = await client();
    expect(await d.subscribe(live.token, live.id, 'call.*.*')).toMatchObject({ status: 'success' });
    await fx.directory.credentials.revokeToken(live.token);
    expect(await d.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'credentials revoked' });
    expect(node.server.serverCloses(CLOSE_CODES.unauthorized)).toBeGreaterThanOrEqual(1);
  });

  it('closes with 4001 when its user is disabled, its user deleted, or an ancestor account disabled', async () => {
    const parent = await fx.account();
    const a = await fx.account(parent.id);
    const [disabled, deleted] = [await fx.user(a.id, 'user'), await fx.user(a.id, 'user')];
    const key = await fx.account(a.id);
    const sockets = await Promise.all([client(), client(), client()]);
    const [s1, s2, s3] = sockets;
    for (const [s, token, account] of [[s1, disabled.token, a.id], [s2, deleted.token, a.id], [s3, key.token, key.id]] as const) {
      expect(await s?.subscribe(token, account, 'call.*.*')).toMatchObject({ status: 'success' });
    }
    await fx.directory.users.patch(a.id, disabled.id, { enabled: false });
    expect(await s1?.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'credentials revoked' });
    await fx.directory.users.delete(a.id, deleted.id);
    expect(await s2?.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'credentials revoked' });
    await fx.directory.accounts.patch(parent.id, { enabled: false });
    expect(await s3?.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'credentials revoked' });
    await waitFor(() => node.server.connectionCount === 0, { message: 'the closed sockets to go', timeoutMs: 10_000 });
  });

  it("keeps a plain user's scope current: promoted it sees the account's calls, demoted only its own again", async () => {
    const a = await fx.account();
    const me = await fx.user(a.id, 'user');
    const c = await client();
    expect(await c.subscribe(me.token, a.id, 'call.CHANNEL_CREATE.*')).toMatchObject({ status: 'success' });
    const mine = { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': me.id } };
    await fx.publish('CHANNEL_CREATE', a.id, 'not-mine-1');
    await fx.publish('CHANNEL_CREATE', a.id, 'mine-1', mine);
    expect((await c.waitForEvents(1)).map(idOf)).toEqual(['mine-1']);

    await fx.directory.users.patch(a.id, me.id, { priv_level: 'admin' });
    await new Promise((r) => setTimeout(r, REVERIFY_MS * 4));
    await fx.publish('CHANNEL_CREATE', a.id, 'not-mine-2');
    expect((await c.waitForEvents(2)).map(idOf)).toEqual(['mine-1', 'not-mine-2']);

    await fx.directory.users.patch(a.id, me.id, { priv_level: 'user' });
    await new Promise((r) => setTimeout(r, REVERIFY_MS * 4));
    await fx.publish('CHANNEL_CREATE', a.id, 'not-mine-3');
    await fx.publish('CHANNEL_CREATE', a.id, 'mine-2', mine);
    expect((await c.waitForEvents(3)).map(idOf)).toEqual(['mine-1', 'not-mine-2', 'mine-2']);
  });
});
