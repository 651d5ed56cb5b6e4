import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';

const Item = z.object({ key: z.string(), i: z.number() });
type Item = z.output<typeof Item>;
const KEYS = 8;
const PER_KEY = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('amqp bus: single-active-consumer queues consumed in key order', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const buses: AmqpBus[] = [];
  const newBus = async (nodeId: string): Promise<AmqpBus> => {
    const bus = new AmqpBus({ ...resolveBusConfig({ url: AMQP_URL, appName: 'sac', nodeId, namespace, logger: captureLogger() }), url: AMQP_URL });
    await bus.start();
    buses.push(bus);
    return bus;
  };

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await deleteNamespace(namespace, ['sac']);
  });

  it('feeds one consumer at a time and hands over on cancel with no message reordered, lost or repeated', async () => {
    const [a, b] = [await newBus('a'), await newBus('b')];
    await a.declareQueue('sac', { singleActiveConsumer: true, bindings: [{ exchange: 'callmgr', routingKey: 'sac' }] });
    const seen = new Map<string, number[]>();
    const by = { a: 0, b: 0 };
    let handover: Promise<void> | undefined;
    let bBeforeHandover = -1;
    const handler = (who: 'a' | 'b') => async (m: Item) => {
      // Slow enough that the handover happens with messages running and others waiting behind them.
      await sleep(m.i % 10 === 0 ? 100 : 3);
      by[who]++;
      seen.set(m.key, [...(seen.get(m.key) ?? []), m.i]);
      if (who === 'a' && by.a === 60) {
        bBeforeHandover = by.b;
        handover = ca.cancel();
      }
    };
    const ca = await a.consume('sac', Item, handler('a'), { prefetch: 20, orderKey: (m) => m.key });
    await b.consume('sac', Item, handler('b'), { prefetch: 20, orderKey: (m) => m.key });
    expect(await a.queueConsumers('sac')).toBe(2);
    for (let i = 0; i < PER_KEY; i++) for (let k = 0; k < KEYS; k++) await a.publish('callmgr', 'sac', { key: `k${k}`, i });
    await waitFor(() => handover !== undefined, { timeoutMs: 20_000 });
    // Only the first registered consumer is active until it goes.
    expect(bBeforeHandover).toBe(0);
    await handover;
    await waitFor(() => by.a + by.b >= KEYS * PER_KEY, { timeoutMs: 30_000 });
    await sleep(200);
    expect(by.b).toBeGreaterThan(0);
    const expected = Array.from({ length: PER_KEY }, (_, i) => i);
    for (let k = 0; k < KEYS; k++) expect(seen.get(`k${k}`)).toEqual(expected);
    expect(await a.queueConsumers('sac')).toBe(1);
  });
});
