import { waitFor } from '@legwork/common/testing';
import { BlackholeClient, StreamFixture, type Frame } from './testing';

const seqOf = (f: Frame): number => Number((f['data'] as Record<string, unknown>)['event_sequence']);
const DESTROY = { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 5, 'Billing-Seconds': 4, 'Ringing-Seconds': 1 };
const callOf = (f: Frame): string => String((f['data'] as Record<string, unknown>)['call_id']);

describe('event-stream resume from a cursor (real RabbitMQ and Redis)', () => {
  const fx = new StreamFixture('evresume');
  const clients: BlackholeClient[] = [];
  const open = async (url: string): Promise<BlackholeClient> => {
    const c = await BlackholeClient.connect(url);
    clients.push(c);
    return c;
  };
  const resume = (c: BlackholeClient, token: string, accountId: string, binding: string, since: unknown): Promise<Frame> =>
    c.request({ action: 'subscribe', auth_token: token, data: { account_id: accountId, binding, since } });

  beforeAll(() => fx.start());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => fx.close());

  it('a client that reconnects with its last cursor gets every event it missed once, in order, then the live ones, on any instance', async () => {
    const [n1, n2] = [await fx.node(), await fx.node()];
    const a = await fx.account();
    const first = await open(n1.url);
    const reply = await first.subscribe(a.token, a.id, 'call.*.*');
    expect(reply).toMatchObject({ status: 'success', data: { subscribed: ['call.*.*'], cursor: '0-0' } });
    await fx.publish('CHANNEL_CREATE', a.id, 'c1');
    await fx.publish('CHANNEL_ANSWER', a.id, 'c1');
    const seen = await first.waitForEvents(2);
    expect(seen.map((f) => f['cursor'])).toEqual([expect.stringMatching(/^\d+-\d+$/), expect.stringMatching(/^\d+-\d+$/)]);
    await first.close();

    // missed while away: c1 goes on, c2 starts and ends; a PROGRESS `call.*.*` does not cover is logged too
    await fx.publish('CHANNEL_PROGRESS', a.id, 'c1');
    await fx.publish('CHANNEL_BRIDGE', a.id, 'c1', { 'Other-Leg-Call-ID': 'c1-b' });
    await fx.publish('CHANNEL_CREATE', a.id, 'c2');
    await fx.publish('CHANNEL_DESTROY', a.id, 'c2', DESTROY);
    const again = await open(n2.url);
    const resumed = await resume(again, a.token, a.id, 'call.*.*', seen[1]['cursor']);
    expect(resumed).toMatchObject({ status: 'success', data: { subscribed: ['call.*.*'], resumed: { since: seen[1]['cursor'], complete: true } } });
    await fx.publish('CHANNEL_DESTROY', a.id, 'c1', DESTROY);
    const got = await again.waitForEvents(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.events.map((f) => [f['name'], callOf(f), seqOf(f)])).toEqual([
      ['CHANNEL_BRIDGE', 'c1', 4], ['CHANNEL_CREATE', 'c2', 1], ['CHANNEL_DESTROY', 'c2', 2], ['CHANNEL_DESTROY', 'c1', 5],
    ]);
    const cursors = got.map((f) => String(f['cursor']));
    expect([...cursors].sort((x, y) => Number(x.split('-')[0]) - Number(y.split('-')[0]) || Number(x.split('-')[1]) - Number(y.split('-')[1]))).toEqual(cursors);
    expect(got[0]).toMatchObject({ action: 'event', subscribed_key: 'call.*.*', subscription_key: `call.${a.id}.CHANNEL_BRIDGE.*`, routing_key: `call.${a.id}.CHANNEL_BRIDGE.c1` });
  });

  it('a replayed event keeps the cursor and sequence of its live copy, so a client resuming early drops repeats by cursor', async () => {
    const n = await fx.node();
    const a = await fx.account();
    const live = await open(n.url);
    await live.subscribe(a.token, a.id, 'call.*.*');
    await fx.publish('CHANNEL_CREATE', a.id, 'early');
    await fx.publish('CHANNEL_ANSWER', a.id, 'early');
    const seen = await live.waitForEvents(2);
    const again = await open(n.url);
    await resume(again, a.token, a.id, 'call.*.*', '0-0');
    const replayed = await again.waitForEvents(2);
    expect(replayed.map((f) => [f['cursor'], seqOf(f), f['data']])).toEqual(seen.map((f) => [f['cursor'], seqOf(f), f['data']]));
  });

  it('events published while the log is replayed arrive once each, after the replay, with no gap', async () => {
    const n = await fx.node();
    const a = await fx.account();
    for (let i = 0; i < 700; i += 1) await fx.publish('CHANNEL_CREATE', a.id, `burst-${i}`);
    const c = await open(n.url);
    const live = (async () => {
      for (let i = 700; i < 800; i += 1) await fx.publish('CHANNEL_CREATE', a.id, `burst-${i}`);
    })();
    const reply = await resume(c, a.token, a.id, 'call.CHANNEL_CREATE.*', '0-0');
    expect(reply['status']).toBe('success');
    await live;
    await c.waitForEvents(800, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(c.events.map(callOf)).toEqual(Array.from({ length: 800 }, (_, i) => `burst-${i}`));
  });

  it('replays only what the bindings and the caller may see: a plain user gets its own calls', async () => {
    const n = await fx.node();
    const a = await fx.account();
    const me = await fx.user(a.id, 'user');
    const peer = await fx.user(a.id, 'user');
    await fx.publish('CHANNEL_ANSWER', a.id, 'mine', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': me.id } });
    await fx.publish('CHANNEL_ANSWER', a.id, 'theirs', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': peer.id } });
    await fx.publish('CHANNEL_CREATE', a.id, 'mine', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': me.id } });
    await fx.publish('CHANNEL_ANSWER', (await fx.account()).id, 'elsewhere');
    const c = await open(n.url);
    expect((await resume(c, me.token, a.id, 'call.CHANNEL_ANSWER.*', '0-0'))['status']).toBe('success');
    await fx.publish('CHANNEL_ANSWER', a.id, 'mine-2', { 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Owner-ID': me.id } });
    await c.waitForEvents(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(c.events.map((f) => [f['name'], callOf(f)])).toEqual([['CHANNEL_ANSWER', 'mine'], ['CHANNEL_ANSWER', 'mine-2']]);
  });

  it('paces a long replay to a client with a small window instead of closing it', async () => {
    const n = await fx.node({ maxPendingFrames: 16, maxBufferedBytes: 16 * 1024 });
    const a = await fx.account();
    for (let i = 0; i < 300; i += 1) await fx.publish('CHANNEL_ANSWER', a.id, `paced-${i}`);
    const c = await open(n.url);
    expect((await resume(c, a.token, a.id, 'call.*.*', '0-0'))['status']).toBe('success');
    await c.waitForEvents(300, 20_000);
    expect(c.events.map(callOf)).toEqual(Array.from({ length: 300 }, (_, i) => `paced-${i}`));
    expect(n.server.serverCloses(4008)).toBe(0);
  });

  it('refuses a malformed since, naming the field, and subscribes nothing', async () => {
    const n = await fx.node();
    const a = await fx.account();
    const c = await open(n.url);
    for (const since of ['0-0\r\nX', '+', '(0-0', 12, '9'.repeat(20), '']) {
      const reply = await resume(c, a.token, a.id, 'call.*.*', since);
      expect(reply).toMatchObject({ status: 'error', data: { errors: ['data.since: must be a cursor from an event frame or a subscribe reply'], error_codes: ['invalid_message'] } });
    }
    const ok = await c.subscribe(a.token, a.id, 'call.CHANNEL_CREATE.*');
    expect(ok['data']).toEqual({ subscribed: ['call.CHANNEL_CREATE.*'], cursor: '0-0' });
    await waitFor(() => n.server.connectionCount === 1);
  });
});
