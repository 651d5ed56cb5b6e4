import { waitFor } from '@legwork/common/testing';
import type { Channel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';

const Item = z.object({ i: z.number() });

/** The consumer's own channel, as the bus holds it (the broker closes it below, the connection stays up). */
const channelOf = (consumer: unknown): Channel | undefined => (consumer as { channel?: Channel }).channel;

describe('amqp bus: a consumer whose channel the broker closed while the connection stays up', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const logger = captureLogger();
  const bus = new AmqpBus({ ...resolveBusConfig({ url: AMQP_URL, appName: 'chlost', nodeId: 'n1', namespace, logger }), urls: [AMQP_URL] });

  afterAll(async () => {
    await bus.close();
    await deleteNamespace(namespace, ['plain', 'ordered', 'quiet']);
  });

  it('is attached again on the same connection and gets what was published after, plain and ordered alike', async () => {
    await bus.start();
    const got = { plain: [] as number[], ordered: [] as number[] };
    const consumers = [];
    for (const q of ['plain', 'ordered'] as const) {
      await bus.declareQueue(q, { bindings: [{ exchange: 'callmgr', routingKey: q }] });
      consumers.push(await bus.consume(q, Item, async (m) => void got[q].push(m.i), q === 'ordered' ? { orderKey: () => 'one' } : {}));
      await bus.publish('callmgr', q, { i: 1 });
    }
    await waitFor(() => got.plain.length === 1 && got.ordered.length === 1, { message: 'the first messages' });

    // A 404 on a channel closes that channel only, as any channel-level error the broker raises on it would.
    for (const c of consumers) await channelOf(c)?.checkQueue(`${namespace}.no-such-queue`).catch(() => undefined);
    await waitFor(() => logger.lines.filter((l) => l.msg === 'consumer channel error').length === 2, { message: () => `the channel errors ${JSON.stringify(logger.lines)}` });
    for (const q of ['plain', 'ordered'] as const) await bus.publish('callmgr', q, { i: 2 });
    await waitFor(() => got.plain.length === 2 && got.ordered.length === 2, { message: () => `the messages published after ${JSON.stringify(got)}`, timeoutMs: 10_000 });
    expect(got).toEqual({ plain: [1, 2], ordered: [1, 2] });
    expect(logger.lines.filter((l) => l.msg === 'consumer channel closed by the broker; re-attaching')).toHaveLength(2);
    expect(logger.lines.filter((l) => l.msg === 'consumer re-attached after its channel closed')).toHaveLength(2);
    // Same connection throughout: nothing was reconnected.
    expect(logger.lines.some((l) => l.msg === 'amqp reconnected')).toBe(false);
  });

  it('is not attached again once cancelled: what is published after waits in the queue', async () => {
    await bus.declareQueue('quiet', { bindings: [{ exchange: 'callmgr', routingKey: 'quiet' }] });
    const got: number[] = [];
    const consumer = await bus.consume('quiet', Item, async (m) => void got.push(m.i));
    const before = logger.lines.length;
    await consumer.cancel();
    await bus.publish('callmgr', 'quiet', { i: 3 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(got).toEqual([]);
    expect(await bus.queueDepth('quiet')).toBe(1);
    expect(logger.lines.slice(before).filter((l) => l.msg.startsWith('consumer channel closed') || l.msg.startsWith('consumer re-attached'))).toEqual([]);
  });
});
