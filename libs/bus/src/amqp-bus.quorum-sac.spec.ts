import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { connect, type ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import type { Consumer } from './bus.driver';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';

const Item = z.object({ key: z.string(), i: z.number() });
type Item = z.output<typeof Item>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SAC = { type: 'quorum', singleActiveConsumer: true } as const;

/** What a quorum queue with a single active consumer does on RabbitMQ, and the hand-over the ordered consumer relies on. */
describe('amqp bus: quorum queues with a single active consumer', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const open = (nodeId: string): AmqpBus => new AmqpBus({ ...resolveBusConfig({ url: AMQP_URL, appName: 'qsac', nodeId, namespace, logger: captureLogger() }), urls: [AMQP_URL] });
  const [a, b] = [open('a'), open('b')];

  beforeAll(async () => {
    await Promise.all([a.start(), b.start()]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await deleteNamespace(namespace, ['count', 'plain', 'order', 'raw']);
  });

  it('counts only the active consumer, where a queue without a single active consumer counts every one', async () => {
    await a.declareQueue('count', { ...SAC, bindings: [{ exchange: 'callmgr', routingKey: 'count' }] });
    await a.declareQueue('plain', { type: 'quorum', bindings: [{ exchange: 'callmgr', routingKey: 'plain' }] });
    for (const bus of [a, b]) for (const q of ['count', 'plain']) await bus.consume(q, Item, async () => undefined);
    expect(await a.queueConsumers('plain')).toBe(2);
    // The waiting consumer is not counted: the number of workers cannot be read off an ordered queue.
    expect(await a.queueConsumers('count')).toBe(1);
  });

  it('hands over on cancel with no message reordered, lost or repeated', async () => {
    await a.declareQueue('order', { ...SAC, bindings: [{ exchange: 'callmgr', routingKey: 'order' }] });
    const seen = new Map<string, number[]>();
    const by = { a: 0, b: 0 };
    let handover: Promise<void> | undefined;
    const handler = (who: 'a' | 'b') => async (m: Item): Promise<void> => {
      // Some slow messages, so the hand-over finds handlers running and others unacked behind them.
      await sleep(m.i % 10 === 0 ? 100 : 3);
      by[who]++;
      seen.set(m.key, [...(seen.get(m.key) ?? []), m.i]);
      if (who === 'a' && by.a === 60) handover = ca.cancel();
    };
    const ca: Consumer = await a.consume('order', Item, handler('a'), { prefetch: 20, orderKey: (m) => m.key });
    await b.consume('order', Item, handler('b'), { prefetch: 20, orderKey: (m) => m.key });
    for (let i = 0; i < 40; i++) for (let k = 0; k < 8; k++) await a.publish('callmgr', 'order', { key: `k${k}`, i });
    await waitFor(() => handover !== undefined, { timeoutMs: 20_000 });
    await handover;
    await waitFor(() => by.a + by.b >= 320, { timeoutMs: 30_000 });
    await sleep(300);
    expect(by.b).toBeGreaterThan(0);
    expect(by.a + by.b).toBe(320);
    for (let k = 0; k < 8; k++) expect(seen.get(`k${k}`)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('on basic.cancel with messages unacked, activates the next consumer at once, which gets the later ones first', async () => {
    const real = `${namespace}.raw`;
    const order: string[] = [];
    const model = await connect(AMQP_URL);
    try {
      const admin = await model.createConfirmChannel();
      await admin.assertQueue(real, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-single-active-consumer': true } });
      const [ch1, ch2] = [await model.createChannel(), await model.createChannel()];
      await ch1.prefetch(5);
      await ch2.prefetch(5);
      const held: ConsumeMessage[] = [];
      const first = await ch1.consume(real, (m) => void (m && held.push(m)));
      await ch2.consume(real, (m) => {
        if (!m) return;
        order.push(m.content.toString());
        ch2.ack(m);
      });
      for (let i = 1; i <= 12; i++) admin.sendToQueue(real, Buffer.from(String(i)), { persistent: true });
      await admin.waitForConfirms();
      await waitFor(() => held.length === 5, { timeoutMs: 10_000 });
      await ch1.cancel(first.consumerTag);
      await waitFor(() => order.length === 7, { timeoutMs: 10_000 });
      // Closing the first channel now returns its five unacked messages behind the later ones.
      await ch1.close();
      await waitFor(() => order.length === 12, { timeoutMs: 10_000 });
    } finally {
      await model.close().catch(() => undefined);
    }
    expect(order).toEqual(['6', '7', '8', '9', '10', '11', '12', '1', '2', '3', '4', '5']);
  });
});
