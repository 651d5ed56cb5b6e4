import { waitFor } from '@legwork/common/testing';
import { connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';
import { TcpProxy } from './testing/tcp-proxy';

const Item = z.object({ i: z.number() });

describe('amqp bus: a consumer the broker refuses after a reconnect', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const logger = captureLogger();
  const target = new URL(AMQP_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
  let bus: AmqpBus;

  afterAll(async () => {
    await bus.close();
    await proxy.close();
    await deleteNamespace(namespace, ['held']);
  });

  it('is retried on the new connection until the broker takes it, and then gets what was published meanwhile', async () => {
    const url = new URL(AMQP_URL);
    url.hostname = '127.0.0.1';
    url.port = String(await proxy.listen());
    bus = new AmqpBus({ ...resolveBusConfig({ url: url.toString(), appName: 'reattach', nodeId: 'n1', namespace, logger }), urls: [url.toString()] });
    await bus.start();
    await bus.declareQueue('held', { bindings: [{ exchange: 'callmgr', routingKey: 'held' }] });
    const got: number[] = [];
    await bus.consume('held', Item, async (m) => void got.push(m.i));
    await bus.publish('callmgr', 'held', { i: 1 });
    await waitFor(() => got.length === 1, { message: 'the first message' });

    // Another connection's exclusive consumer makes the broker refuse ours, as a queue without a leader would.
    const raw = await connect(AMQP_URL);
    try {
      const ch = await raw.createChannel();
      ch.on('error', () => undefined);
      proxy.cut();
      // Taken once the broker has let go of the bus's consumer (it sees the relayed connection close).
      let consumerTag = '';
      await waitFor(async () => {
        const side = await raw.createChannel();
        side.on('error', () => undefined);
        try {
          consumerTag = (await side.consume(`${namespace}.held`, () => undefined, { exclusive: true })).consumerTag;
          return true;
        } catch {
          return false;
        }
      }, { message: 'an exclusive consumer of our own', timeoutMs: 15_000 });
      proxy.restore();
      await waitFor(() => logger.lines.some((l) => l.msg === 'consumer refused after reconnect; retrying'), { message: () => `the refused consumer ${JSON.stringify(logger.lines)}`, timeoutMs: 15_000 });
      await bus.publish('callmgr', 'held', { i: 2 });
      expect(got).toEqual([1]);
      expect(consumerTag).not.toBe('');
    } finally {
      // Closing our connection drops its exclusive consumer: the broker takes the bus's again.
      await raw.close().catch(() => undefined);
    }
    await waitFor(() => got.length === 2, { message: 'the message published while refused', timeoutMs: 15_000 });
    expect(got).toEqual([1, 2]);
    expect(logger.lines.some((l) => l.msg === 'consumer attached after retry')).toBe(true);
  });
});
