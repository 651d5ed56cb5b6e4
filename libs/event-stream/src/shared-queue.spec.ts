import { waitFor } from '@legwork/common/testing';
import { AmqpBus } from '@legwork/bus';
import { BlackholeClient, StreamFixture } from './testing';

const names = (c: BlackholeClient): string[] => c.events.map((e) => `${String(e['name'])}/${String((e['data'] as Record<string, unknown>)['call_id'])}`);

describe('one queue per event-stream instance (real RabbitMQ and Redis)', () => {
  const fx = new StreamFixture('evshared');
  const clients: BlackholeClient[] = [];
  const connect = async (url: string): Promise<BlackholeClient> => {
    const c = await BlackholeClient.connect(url);
    clients.push(c);
    return c;
  };

  beforeAll(() => fx.start());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => fx.close());

  it('declares one queue for all its sockets, and the bus forgets it when the instance closes', async () => {
    const own = await fx.node();
    const bus = own.bus;
    if (!(bus instanceof AmqpBus)) throw new Error('the fixture should run on RabbitMQ');
    const a = await fx.account();
    const [c1, c2] = [await connect(own.url), await connect(own.url)];
    expect(await c1.subscribe(a.token, a.id, 'call.*.*')).toMatchObject({ status: 'success' });
    expect(await c2.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*')).toMatchObject({ status: 'success' });
    expect(bus.declaredQueueCount()).toBe(1);
    await fx.publish('CHANNEL_ANSWER', a.id, 'c1');
    await Promise.all([c1.waitForEvents(1), c2.waitForEvents(1)]);
    await c1.close();
    await c2.close();
    await waitFor(() => own.server.connectionCount === 0, { message: 'the sockets to go', timeoutMs: 10_000 });
    await own.server.close();
    expect(bus.declaredQueueCount()).toBe(0);
  });

  it('keeps a binding while any socket needs it: one unsubscribing or leaving stops only its own events', async () => {
    const n = await fx.node();
    const a = await fx.account();
    const [stays, unsubscribes, leaves] = [await connect(n.url), await connect(n.url), await connect(n.url)];
    for (const c of [stays, unsubscribes, leaves]) await c.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*');
    await fx.publish('CHANNEL_ANSWER', a.id, 'c1');
    await Promise.all([stays, unsubscribes, leaves].map((c) => c.waitForEvents(1)));
    expect(await unsubscribes.request({ action: 'unsubscribe', data: { account_id: a.id, binding: 'call.CHANNEL_ANSWER.*' } })).toMatchObject({ status: 'success' });
    await leaves.close();
    await waitFor(() => n.server.connectionCount === 2, { message: 'the socket to go', timeoutMs: 10_000 });
    await fx.publish('CHANNEL_ANSWER', a.id, 'c2');
    await stays.waitForEvents(2);
    // The socket that unsubscribed subscribes again: the binding it shares is still there, and it gets what follows only.
    await unsubscribes.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*');
    await fx.publish('CHANNEL_ANSWER', a.id, 'c3');
    await Promise.all([stays.waitForEvents(3), unsubscribes.waitForEvents(2)]);
    expect(names(stays)).toEqual(['CHANNEL_ANSWER/c1', 'CHANNEL_ANSWER/c2', 'CHANNEL_ANSWER/c3']);
    expect(names(unsubscribes)).toEqual(['CHANNEL_ANSWER/c1', 'CHANNEL_ANSWER/c3']);
  });

  it('binds a routing key again for the next socket once every socket that needed it left', async () => {
    const n = await fx.node();
    const a = await fx.account();
    const first = await connect(n.url);
    await first.subscribe(a.token, a.id, 'call.CHANNEL_HOLD.*');
    await first.close();
    await waitFor(() => n.server.connectionCount === 0, { message: 'the socket to go', timeoutMs: 10_000 });
    const next = await connect(n.url);
    await next.subscribe(a.token, a.id, 'call.CHANNEL_HOLD.*');
    await fx.publish('CHANNEL_HOLD', a.id, 'h1');
    await next.waitForEvents(1);
    expect(names(next)).toEqual(['CHANNEL_HOLD/h1']);
  });
});
