import { waitFor } from '@legwork/common/testing';
import { BlackholeClient, StreamFixture, type StreamNode } from './testing';
import { encodeRoutingKeySegment } from '@legwork/contracts';

describe('EventStreamServer (real RabbitMQ and Redis)', () => {
  const fx = new StreamFixture('evstream');
  let node: StreamNode;
  const clients: BlackholeClient[] = [];
  const client = async (): Promise<BlackholeClient> => {
    const c = await BlackholeClient.connect(node.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    await fx.start();
    node = await fx.node({ maxConnectionsPerIp: 5 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => fx.close());

  it('delivers only the subscribed account’s events, in order, normalized', async () => {
    const a = await fx.account();
    const b = await fx.account();
    const c = await client();
    const reply = await c.subscribe(a.token, a.id, 'call.*.*');
    expect(reply).toMatchObject({ action: 'reply', status: 'success', data: { subscribed: ['call.*.*'] } });

    await fx.publish('CHANNEL_CREATE', b.id, 'other-call');
    await fx.publish('CHANNEL_CREATE', a.id, 'call-1.host');
    await fx.publish('CHANNEL_ANSWER', b.id, 'other-call');
    await fx.publish('CHANNEL_ANSWER', a.id, 'call-1.host');
    await fx.publish('CHANNEL_DESTROY', a.id, 'call-1.host', { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 3, 'Billing-Seconds': 2, 'Ringing-Seconds': 1 });
    const events = await c.waitForEvents(3);
    expect(events.map((e) => e['name'])).toEqual(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY']);
    expect(events[0]).toMatchObject({
      action: 'event',
      subscribed_key: 'call.*.*',
      subscription_key: `call.${a.id}.CHANNEL_CREATE.*`,
      routing_key: `call.${a.id}.CHANNEL_CREATE.${encodeRoutingKeySegment('call-1.host')}`,
      data: { call_id: 'call-1.host', custom_channel_vars: { account_id: a.id } },
    });
    expect(events[2]).toMatchObject({ data: { hangup_cause: 'NORMAL_CLEARING', billing_seconds: 2 } });
    // A marker event proves nothing for account b was merely late.
    await fx.publish('CHANNEL_HOLD', a.id, 'marker');
    await c.waitForEvents(4);
    expect(c.events.filter((e) => (e['data'] as Record<string, unknown>)['call_id'] === 'other-call')).toEqual([]);
  });

  it('narrows by event name and call id, and serves originate_failed', async () => {
    const a = await fx.account();
    const c = await client();
    await c.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*');
    await c.subscribe(a.token, a.id, 'originate_failed');
    await c.subscribe(a.token, a.id, 'call.*.watched');
    await fx.publish('CHANNEL_CREATE', a.id, 'ignored');
    await fx.publish('CHANNEL_ANSWER', a.id, 'x1');
    await fx.publish('originate_failed', a.id, 'of-1');
    await fx.publish('CHANNEL_CREATE', a.id, 'watched');
    const events = await c.waitForEvents(3);
    expect(events.map((e) => [e['subscribed_key'], e['name']])).toEqual([
      ['call.CHANNEL_ANSWER.*', 'CHANNEL_ANSWER'],
      ['originate_failed', 'originate_failed'],
      ['call.*.watched', 'CHANNEL_CREATE'],
    ]);
  });

  it("gives a plain user's token only its own calls' events, and only in its own account", async () => {
    const parent = await fx.account();
    const a = await fx.account(parent.id);
    const child = await fx.account(a.id);
    const me = await fx.user(a.id, 'user');
    const peer = await fx.user(a.id, 'user');
    const c = await client();
    expect(await c.subscribe(me.token, a.id, 'call.*.*')).toMatchObject({ status: 'success' });
    expect(await c.subscribe(undefined, child.id, 'call.*.*')).toMatchObject({ status: 'error', data: { errors: ['unauthorized account id'], error_codes: ['forbidden'] } });
    await fx.publish('CHANNEL_CREATE', a.id, 'peer-call', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': peer.id } });
    await fx.publish('CHANNEL_CREATE', a.id, 'unowned-call');
    await fx.publish('CHANNEL_CREATE', a.id, 'peer-quickcall', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Authorizing-ID': peer.id, 'Authorizing-Type': 'user' } });
    await fx.publish('CHANNEL_CREATE', a.id, 'my-call', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': me.id } });
    await fx.publish('CHANNEL_BRIDGE', a.id, 'my-quickcall', { 'Other-Leg-Call-ID': 'my-call', 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Authorizing-ID': me.id, 'Authorizing-Type': 'user' } });
    const admin = await fx.user(a.id, 'admin');
    const watcher = await client();
    await watcher.subscribe(admin.token, a.id, 'call.*.*');
    await fx.publish('CHANNEL_ANSWER', a.id, 'my-call', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': me.id } });
    const mine = await c.waitForEvents(3);
    expect(mine.map((e) => (e['data'] as Record<string, unknown>)['call_id'])).toEqual(['my-call', 'my-quickcall', 'my-call']);
    // the admin of the same account saw the last one too: nothing was merely late for the user
    await watcher.waitForEvents(1);
    expect(c.events).toHaveLength(3);
  });

  it('lets a parent account subscribe to a sub-account but refuses any other account', async () => {
    const parent = await fx.account();
    const child = await fx.account(parent.id);
    const stranger = await fx.account();
    // One socket per identity: a socket is who its first token says, later tokens are ignored (Kazoo).
    const c = await client();
    expect(await c.subscribe(parent.token, child.id, 'call.*.*')).toMatchObject({ status: 'success' });
    expect(await (await client()).subscribe(child.token, parent.id, 'call.*.*')).toMatchObject({ status: 'error', data: { errors: ['unauthorized account id'], error_codes: ['forbidden'] } });
    expect(await (await client()).subscribe(stranger.token, child.id, 'call.*.*')).toMatchObject({ status: 'error', data: { errors: ['unauthorized account id'], error_codes: ['forbidden'] } });
    expect(await (await client()).subscribe('not-a-real-token-'.repeat(3), child.id, 'call.*.*')).toMatchObject({ data: { errors: ['failed to authenticate token'], error_codes: ['unauthorized'] } });
    await fx.publish('CHANNEL_CREATE', parent.id, 'parent-call');
    await fx.publish('CHANNEL_CREATE', child.id, 'child-call');
    await c.waitForEvents(1);
    await fx.publish('CHANNEL_ANSWER', child.id, 'child-call');
    await c.waitForEvents(2);
    expect(c.events.map((e) => (e['data'] as Record<string, unknown>)['call_id'])).toEqual(['child-call', 'child-call']);
  });

  it('answers bad frames with Kazoo’s error strings (and Legwork codes beside them), ping with pong once authenticated', async () => {
    const a = await fx.account();
    const c = await client();
    expect(await c.request({ action: 'ping' })).toMatchObject({ status: 'error', data: { errors: ['authentication token required'], error_codes: ['unauthorized'] } });
    expect(await c.request({ action: 'ping', auth_token: a.token })).toMatchObject({ status: 'success', data: { response: 'pong' } });
    expect(await c.request({ action: 'ping' })).toMatchObject({ status: 'success', data: { response: 'pong' } });
    expect(await c.request({ action: 'dance' })).toMatchObject({ status: 'error', data: { error_codes: ['invalid_message'], errors: [expect.stringContaining('action')] } });
    expect(await c.subscribe(undefined, a.id, 'call.NOT_AN_EVENT.*')).toMatchObject({ status: 'error', data: { errors: ['event NOT_AN_EVENT not supported'], error_codes: ['invalid_binding'] } });
    expect(await c.subscribe(undefined, a.id, 'call.*')).toMatchObject({ data: { errors: ['invalid format for call subscription : *'] } });
    expect(await c.subscribe(undefined, a.id, 'conference.*.*')).toMatchObject({ data: { errors: ['no available subscriptions to requested binding'] } });
    expect(await c.subscribe(undefined, '*', 'call.*.*')).toMatchObject({ data: { errors: ['unauthorized wildcard account id'], error_codes: ['forbidden'] } });
    expect(await c.request({ action: 'subscribe', data: { binding: 'call.*.*' } })).toMatchObject({ data: { errors: ['missing required keys : account_id'], error_codes: ['invalid_message'] } });
    expect(await c.request({ action: 'subscribe' })).toMatchObject({ data: { errors: ['missing required keys in data object'] } });
    const raw = new Promise((resolve) => c.ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    c.ws.send('{not json');
    expect(await raw).toMatchObject({ action: 'reply', status: 'error', request_id: expect.stringMatching(/^[0-9a-f]{32}$/), data: { errors: ['frame is not JSON'], error_codes: ['invalid_message'] } });
  });

  it('treats a frame without action as noop and gives a reply without request_id a random 32-hex one', async () => {
    const a = await fx.account();
    const c = await client();
    const next = () => new Promise<Record<string, unknown>>((resolve) => c.ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>)));
    let reply = next();
    c.ws.send(JSON.stringify({ auth_token: a.token }));
    expect(await reply).toEqual({ action: 'reply', request_id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'success', data: {} });
    reply = next();
    c.ws.send(JSON.stringify({ action: 'subscribe', data: { account_id: a.id, binding: 'call.CHANNEL_CREATE.*' } }));
    const subscribed = await reply;
    expect(subscribed).toMatchObject({ status: 'success', data: { subscribed: ['call.CHANNEL_CREATE.*'] }, request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    reply = next();
    c.ws.send(JSON.stringify({ action: 'ping' }));
    expect((await reply)['request_id']).not.toBe(subscribed['request_id']);
  });

  it('stops events after unsubscribe (one binding, then all)', async () => {
    const a = await fx.account();
    const c = await client();
    await c.subscribe(a.token, a.id, 'call.CHANNEL_CREATE.*');
    await c.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*');
    const one = await c.request({ action: 'unsubscribe', data: { binding: 'call.CHANNEL_CREATE.*' } });
    expect(one).toMatchObject({ status: 'success', data: { unsubscribed: ['call.CHANNEL_CREATE.*'], subscribed: ['call.CHANNEL_ANSWER.*'] } });
    await fx.publish('CHANNEL_CREATE', a.id, 'c1');
    await fx.publish('CHANNEL_ANSWER', a.id, 'c1');
    await c.waitForEvents(1);
    expect(await c.request({ action: 'unsubscribe' })).toMatchObject({ data: { subscribed: [] } });
    await fx.publish('CHANNEL_ANSWER', a.id, 'c2');
    // Resubscribing afterwards shows the queue works; the event published while unsubscribed never shows up.
    await c.subscribe(a.token, a.id, 'call.CHANNEL_HOLD.*');
    await fx.publish('CHANNEL_HOLD', a.id, 'c3');
    await c.waitForEvents(2);
    expect(c.events.map((e) => `${String(e['name'])}/${String((e['data'] as Record<string, unknown>)['call_id'])}`)).toEqual(['CHANNEL_ANSWER/c1', 'CHANNEL_HOLD/c3']);
  });

  it('refuses connections beyond the per-IP limit with HTTP 429 and frees the slot on close', async () => {
    const open = await Promise.all(Array.from({ length: 5 }, () => client()));
    await expect(BlackholeClient.connect(node.url)).rejects.toThrow('HTTP 429');
    await open[0].close();
    clients.push(await BlackholeClient.connect(node.url));
  });

  it('answers upgrades on other paths with 404', async () => {
    await expect(BlackholeClient.connect(node.url.replace('/websocket', '/nope'))).rejects.toThrow('HTTP 404');
  });

  it('terminates a client that stops answering heartbeats', async () => {
    const quick = await fx.node({ heartbeatIntervalMs: 100 });
    const c = await BlackholeClient.connect(quick.url, { autoPong: false });
    const closed = await c.closed;
    expect(closed.code).toBe(1006);
    await waitFor(() => quick.server.connectionCount === 0, { message: 'the server to drop the socket', timeoutMs: 10_000 });
  });
});
