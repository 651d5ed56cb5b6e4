import { waitFor } from '@legwork/common/testing';
import { z } from 'zod';
import { createBus } from './create-bus';
import { InProcessBus } from './in-process-bus.driver';
import { InProcessBroker } from './in-process.broker';
import { resolveBusConfig } from './bus.config';
import { runBusContract } from './testing/bus-contract.suite';

runBusContract('in-process', { make: (opts) => createBus(opts) });

describe('in-process bus specifics', () => {
  it('is what createBus returns without a url, and buses of one process share a broker', async () => {
    const a = createBus({ appName: 'a', nodeId: 'n1', namespace: 'shared1' });
    const b = createBus({ appName: 'b', nodeId: 'n2', namespace: 'shared1' });
    expect(a).toBeInstanceOf(InProcessBus);
    await a.start();
    await b.start();
    await a.declareQueue('q', { bindings: [{ exchange: 'callevt', routingKey: 'call.#' }] });
    const got: number[] = [];
    await b.consume('q', z.object({ n: z.number() }), async (m) => void got.push(m.n));
    await a.publish('callevt', 'call.X.y', { n: 1 });
    await waitFor(() => got.length === 1, { message: 'cross-bus delivery' });
    await Promise.all([a.close(), b.close()]);
  });

  it('drops exclusive queues when their bus closes', async () => {
    const broker = new InProcessBroker();
    const cfg = resolveBusConfig({ appName: 'a', nodeId: 'n1', namespace: 'excl' });
    const a = new InProcessBus(cfg, broker);
    const b = new InProcessBus(cfg, broker);
    await a.start();
    await b.start();
    await a.declareQueue('mine', { exclusive: true });
    await expect(b.declareQueue('mine', { exclusive: true })).rejects.toMatchObject({ code: 'bus_topology' });
    expect(broker.hasQueue(a.serverId)).toBe(true);
    await a.close();
    expect(broker.hasQueue('excl.mine')).toBe(false);
    expect(broker.hasQueue(a.serverId)).toBe(false);
    await b.close();
  });

  it('dead-letters the oldest message beyond maxLength', async () => {
    const bus = createBus({ appName: 'a', nodeId: 'n1', namespace: 'maxlen' });
    await bus.start();
    await bus.declareQueue('capped', { maxLength: 1, deadLetter: { exchange: 'callctl', routingKey: 'overflow' }, bindings: [{ exchange: 'callctl', routingKey: 'in' }] });
    await bus.declareQueue('overflow', { bindings: [{ exchange: 'callctl', routingKey: 'overflow' }] });
    const over: number[] = [];
    await bus.consume('overflow', z.object({ n: z.number() }), async (m) => void over.push(m.n));
    await bus.publish('callctl', 'in', { n: 1 });
    await bus.publish('callctl', 'in', { n: 2 });
    await waitFor(() => over.length === 1, { message: 'overflowed message' });
    expect(over).toEqual([1]);
    await bus.close();
  });
});
