import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { DEAD_LETTER_QUEUE } from './bus.topology';
import { AMQP_URL, deleteNamespace, withRawChannel } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';
import { closeConnectionNamed, queueTypes } from './testing/rabbitmqctl';

const Item = z.object({ i: z.number() });

async function queueType(realName: string): Promise<string | undefined> {
  return (await queueTypes(realName))[realName];
}

describe('amqp bus quorum queues', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const logger = captureLogger();
  const bus = new AmqpBus({ ...resolveBusConfig({ url: AMQP_URL, appName: 'quorum', nodeId: 'n1', namespace, logger }), urls: [AMQP_URL] });

  beforeAll(() => bus.start());
  afterAll(async () => {
    await bus.close();
    await deleteNamespace(namespace, ['work', 'tier', 'legacy', 'plain']);
  });

  it('declares a shared work queue and the dead-letter queue as quorum queues, a default queue as classic', async () => {
    await bus.declareQueue('work', { type: 'quorum', bindings: [{ exchange: 'callmgr', routingKey: 'work' }] });
    await bus.declareQueue('plain', { bindings: [{ exchange: 'callmgr', routingKey: 'plain' }] });
    expect(await queueType(`${namespace}.work`)).toBe('quorum');
    expect(await queueType(`${namespace}.${DEAD_LETTER_QUEUE}`)).toBe('quorum');
    expect(await queueType(`${namespace}.plain`)).toBe('classic');
  });

  it('delivers through a quorum queue, dead-letters a failed message and expires by queue TTL', async () => {
    const got: number[] = [];
    const consumer = await bus.consume('work', Item, async (m) => {
      if (m.i === 2) throw new Error('refused on purpose');
      got.push(m.i);
    });
    for (const i of [1, 2, 3]) await bus.publish('callmgr', 'work', { i });
    await waitFor(() => got.length === 2, { message: 'two deliveries', timeoutMs: 15_000 });
    expect(got.sort()).toEqual([1, 3]);
    await waitFor(async () => (await bus.queueDepth(DEAD_LETTER_QUEUE)) === 1, { message: 'one dead letter', timeoutMs: 15_000 });
    await consumer.cancel();

    // A retry tier: a quorum queue whose messages expire into another queue (x-message-ttl, dead-letter target).
    await bus.declareQueue('tier', { type: 'quorum', ttlMs: 200, deadLetter: { exchange: 'callmgr', routingKey: 'work' }, bindings: [{ exchange: 'callmgr', routingKey: 'tier' }] });
    await bus.publish('callmgr', 'tier', { i: 7 });
    await waitFor(async () => (await bus.queueDepth('work')) === 1, { message: 'the expired message moved on', timeoutMs: 15_000 });
    expect(await bus.queueDepth('tier')).toBe(0);
  });

  it('refuses quorum for an exclusive, auto-delete or non-durable queue with bus_topology', async () => {
    await expect(bus.declareQueue('', { type: 'quorum', exclusive: true })).rejects.toMatchObject({ code: 'bus_topology', message: expect.stringContaining('quorum') });
    await expect(bus.declareQueue('x', { type: 'quorum', autoDelete: true })).rejects.toMatchObject({ code: 'bus_topology' });
    await expect(bus.declareQueue('x', { type: 'quorum', durable: false })).rejects.toMatchObject({ code: 'bus_topology' });
  });

  it('keeps the classic queue an earlier version declared, with its messages, through declares and reconnects', async () => {
    const real = `${namespace}.legacy`;
    await withRawChannel(async (ch) => {
      await ch.assertQueue(real, { durable: true, arguments: { 'x-dead-letter-exchange': `${namespace}.legwork.dlx` } });
      ch.sendToQueue(real, Buffer.from(JSON.stringify({ i: 41 })), { persistent: true, contentType: 'application/json' });
    });
    await expect(bus.declareQueue('legacy', { type: 'quorum', bindings: [{ exchange: 'callmgr', routingKey: 'legacy' }] })).resolves.toBe('legacy');
    expect(logger.lines).toContainEqual({ level: 'warn', msg: expect.stringContaining('classic queue an earlier Legwork declared') });
    expect(await queueType(real)).toBe('classic');
    await bus.publish('callmgr', 'legacy', { i: 42 });

    expect(await closeConnectionNamed(bus.connectionName)).toBe(1);
    await waitFor(() => logger.lines.some((l) => l.msg === 'amqp reconnected'), { message: 'reconnection', timeoutMs: 15_000 });
    const got: number[] = [];
    const consumer = await bus.consume('legacy', Item, async (m) => void got.push(m.i));
    await waitFor(() => got.length === 2, { message: 'both messages', timeoutMs: 15_000 });
    expect(got).toEqual([41, 42]);
    await consumer.cancel();
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
