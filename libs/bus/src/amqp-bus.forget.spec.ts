import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { AMQP_URL, deleteNamespace, withRawChannel } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';
import { closeConnectionNamed } from './testing/rabbitmqctl';

const Item = z.object({ i: z.number() });

describe('amqp bus reconnecting after queues were deleted or released', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const logger = captureLogger();
  const bus = new AmqpBus({ ...resolveBusConfig({ url: AMQP_URL, appName: 'forget', nodeId: 'n1', namespace, logger }), urls: [AMQP_URL] });

  afterAll(async () => {
    await bus.close();
    await deleteNamespace(namespace, ['kept', 'gone']);
  });

  it('re-declares neither deleted queues nor auto-delete queues whose consumers were cancelled', async () => {
    await bus.start();
    await bus.declareQueue('kept', { bindings: [{ exchange: 'callctl', routingKey: 'kept' }] });
    await bus.declareQueue('gone', { bindings: [{ exchange: 'callctl', routingKey: 'gone' }] });
    const gone: number[] = [];
    await bus.consume('gone', Item, async (m) => void gone.push(m.i));
    const brief = await bus.declareQueue('', { exclusive: true, autoDelete: true, bindings: [{ exchange: 'callctl', routingKey: 'brief' }] });
    const briefGot: number[] = [];
    const briefConsumer = await bus.consume(brief, Item, async (m) => void briefGot.push(m.i));
    expect(bus.declaredQueueCount()).toBe(3);

    await bus.deleteQueue('gone');
    await briefConsumer.cancel();
    expect(bus.declaredQueueCount()).toBe(1);

    expect(await closeConnectionNamed(bus.connectionName)).toBe(1);
    await waitFor(() => logger.lines.some((l) => l.msg === 'amqp reconnected'), { message: 'reconnection', timeoutMs: 15_000 });
    await expect(bus.publish('callctl', 'kept', { i: 1 })).resolves.toBeUndefined();
    // returned by the broker: no queue bound (just after a reconnect that is an outage, not "nobody consumes")
    const returned = { code: 'bus_unavailable', details: { unroutable: true } };
    await expect(bus.publish('callctl', 'gone', { i: 2 })).rejects.toMatchObject(returned);
    await expect(bus.publish('callctl', 'brief', { i: 3 })).rejects.toMatchObject(returned);
    await expect(withRawChannel((ch) => ch.checkQueue(`${namespace}.gone`))).rejects.toThrow(/NOT_FOUND/);
    await expect(withRawChannel((ch) => ch.checkQueue(`${namespace}.${brief}`))).rejects.toThrow(/NOT_FOUND/);
    expect(gone).toEqual([]);
    expect(briefGot).toEqual([]);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
