import { waitFor } from '@legwork/common/testing';
import { BlackholeClient, StreamFixture } from './testing';
import { performance } from 'node:perf_hooks';
import { EVENT_CURSOR_HEADER } from '@legwork/contracts';
import { CLOSE_CODES } from './blackhole.protocol';

describe('event-stream fan-out (real RabbitMQ and Redis)', () => {
  const fx = new StreamFixture('evfanout');
  const clients: BlackholeClient[] = [];

  beforeAll(() => fx.start());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => fx.close());

  it('two instances each deliver to their own matching sockets, once per socket', async () => {
    const [n1, n2] = [await fx.node(), await fx.node()];
    const a = await fx.account();
    const b = await fx.account();
    const onA = [await BlackholeClient.connect(n1.url), await BlackholeClient.connect(n2.url)];
    const onB = await BlackholeClient.connect(n2.url);
    clients.push(...onA, onB);
    for (const c of onA) await c.subscribe(a.token, a.id, 'call.*.*');
    await onB.subscribe(b.token, b.id, 'call.CHANNEL_ANSWER.*');
    await fx.publish('CHANNEL_CREATE', a.id, 'ca');
    await fx.publish('CHANNEL_ANSWER', b.id, 'cb');
    await fx.publish('CHANNEL_ANSWER', a.id, 'ca');
    for (const c of onA) expect((await c.waitForEvents(2)).map((e) => e['name'])).toEqual(['CHANNEL_CREATE', 'CHANNEL_ANSWER']);
    expect((await onB.waitForEvents(1))[0]).toMatchObject({ name: 'CHANNEL_ANSWER', data: { call_id: 'cb' } });
    // A last marker on each account: anything duplicated would have arrived before it.
    await fx.publish('CHANNEL_HOLD', a.id, 'ca');
    await fx.publish('CHANNEL_ANSWER', b.id, 'cb2');
    for (const c of onA) expect(await c.waitForEvents(3)).toHaveLength(3);
    await onB.waitForEvents(2);
    expect(onA.map((c) => c.events.length)).toEqual([3, 3]);
    expect(onB.events).toHaveLength(2);
  });

  it('tells its observer of each event once its sockets have it: the event\'s headers and how many sockets', async () => {
    const seen: { cursor: unknown; sinks: number; startedAt: number }[] = [];
    const n = await fx.node({}, fx.directory, (headers, sinks, startedAt) => seen.push({ cursor: headers[EVENT_CURSOR_HEADER], sinks, startedAt }));
    const a = await fx.account();
    const two = [await BlackholeClient.connect(n.url), await BlackholeClient.connect(n.url)];
    clients.push(...two);
    for (const c of two) await c.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*');
    const before = performance.now();
    const cursor = await fx.publish('CHANNEL_ANSWER', a.id, 'observed');
    for (const c of two) await c.waitForEvents(1);
    expect(seen).toEqual([{ cursor, sinks: 2, startedAt: expect.any(Number) }]);
    expect(seen[0].startedAt).toBeGreaterThan(before);
  });

  it('push wake-up events reach sockets subscribed to them by name, normalized like the others', async () => {
    const n = await fx.node();
    const a = await fx.account();
    const c = await BlackholeClient.connect(n.url);
    clients.push(c);
    await c.subscribe(a.token, a.id, 'call.PUSH_SENT.*');
    await c.subscribe(a.token, a.id, 'call.DEVICE_REGISTERED.*');
    await fx.publish('PUSH_SENT', a.id, 'cp', { 'Push-Provider': 'apns', 'Push-PRID': 'tok', 'Push-Kind': 'call' });
    await fx.publish('DEVICE_REGISTERED', a.id, 'cp', { 'Push-Provider': 'apns', 'Push-PRID': 'tok', Contact: 'sip:m@127.0.0.1:5070', 'Registrar-Node': 'n2', 'Push-Wake-Ms': 420 });
    const [sent, registered] = await c.waitForEvents(2);
    expect(sent).toMatchObject({ name: 'PUSH_SENT', data: { call_id: 'cp', push_provider: 'apns', push_prid: 'tok', push_kind: 'call' } });
    expect(registered).toMatchObject({ name: 'DEVICE_REGISTERED', data: { contact: 'sip:m@127.0.0.1:5070', registrar_node: 'n2', push_wake_ms: 420 } });
  });

  it('closes a client that stops reading with 4008 slow consumer', async () => {
    const n = await fx.node({ maxBufferedBytes: 64 * 1024, maxPendingFrames: 64 });
    const a = await fx.account();
    const c = await BlackholeClient.connect(n.url);
    clients.push(c);
    // CHANNEL_PROGRESS is not one of the events `call.*.*` covers (Kazoo's set): subscribed by name.
    await c.subscribe(a.token, a.id, 'call.CHANNEL_PROGRESS.*');
    c.socket.pause();
    const padding = 'x'.repeat(32 * 1024);
    let sent = 0;
    // The close frame queues behind the unread data, so the server's own count says when it gave up.
    while (n.server.serverCloses(CLOSE_CODES.slowConsumer) === 0 && sent < 2000) {
      await Promise.all(Array.from({ length: 20 }, () => fx.publish('CHANNEL_PROGRESS', a.id, `slow-${sent++}`, { 'Custom-Application-Vars': { padding } })));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(n.server.serverCloses(CLOSE_CODES.slowConsumer)).toBe(1);
    c.socket.resume();
    expect(await c.closed).toEqual({ code: CLOSE_CODES.slowConsumer, reason: 'slow consumer' });
    await waitFor(() => n.server.connectionCount === 0, { message: 'the slow socket to go', timeoutMs: 10_000 });
  });

  it('1,000 concurrent sockets all receive an event', async () => {
    const nodes = [await fx.node({ maxConnectionsPerIp: 1000 }), await fx.node({ maxConnectionsPerIp: 1000 })];
    const a = await fx.account();
    const many: BlackholeClient[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.all(Array.from({ length: 100 }, (_, i) => BlackholeClient.connect(nodes[(batch * 100 + i) % 2].url)));
      many.push(...opened);
      clients.push(...opened);
      const replies = await Promise.all(opened.map((c) => c.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*')));
      expect(replies.every((r) => r['status'] === 'success')).toBe(true);
    }
    await fx.publish('CHANNEL_ANSWER', a.id, 'broadcast');
    await Promise.all(many.map((c) => c.waitForEvents(1, 20_000)));
    expect(many.every((c) => c.events.length === 1 && c.events[0]['routing_key'] === `call.${a.id}.CHANNEL_ANSWER.broadcast`)).toBe(true);
  }, 60_000);
});
