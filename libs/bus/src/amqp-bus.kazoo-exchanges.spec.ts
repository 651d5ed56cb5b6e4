import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';
import { ALL_DECLARE_OK, RawBroker } from './testing/kazoo-tool';
import { TcpProxy } from './testing/tcp-proxy';

const Job = z.object({ n: z.number() });
const PRECONDITION_FAILED = 406;

function newBus(namespace: string, url = AMQP_URL) {
  const logger = captureLogger();
  const bus = new AmqpBus({ ...resolveBusConfig({ url, appName: 'kazoo-x', nodeId: 'n1', namespace, logger, publishTimeoutMs: 5_000 }), urls: [url] });
  return { bus, logger };
}

describe("amqp bus: Kazoo's exchanges declared as kz_amqp_util declares them", () => {
  let namespace = '';
  let raw: RawBroker;
  const buses: AmqpBus[] = [];

  beforeEach(async () => {
    namespace = `t${randomBytes(5).toString('hex')}`;
    raw = await RawBroker.open();
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await raw.close();
    await deleteNamespace(namespace, ['shared']);
  });

  let saw = (_msg: string): boolean => false;
  const started = async (url = AMQP_URL): Promise<AmqpBus> => {
    const { bus, logger } = newBus(namespace, url);
    saw = (msg) => logger.lines.some((l) => l.msg === msg);
    buses.push(bus);
    await bus.start();
    return bus;
  };

  it('a Kazoo application declaring them after Legwork gets declare-ok; a durable declare is what is refused now', async () => {
    const bus = await started();
    expect(await raw.declareAsKazoo(namespace)).toEqual(ALL_DECLARE_OK);
    expect((await raw.declareAsOldLegwork(namespace)).map((o) => (o.ok ? 'ok' : o.code))).toEqual(Array(4).fill(PRECONDITION_FAILED));
    await bus.declareQueue('shared', { bindings: [{ exchange: 'callmgr', routingKey: 'originate.resource.req' }] });
    const got: number[] = [];
    await bus.consume('shared', Job, async (m) => void got.push(m.n));
    await bus.publish('callmgr', 'originate.resource.req', { n: 1 });
    await waitFor(() => got.length === 1, { message: 'delivery after the Kazoo declare' });
  });

  it('starts and works on exchanges a Kazoo application declared first', async () => {
    expect(await raw.declareAsKazoo(namespace)).toEqual(ALL_DECLARE_OK);
    const bus = await started();
    await bus.declareQueue('shared', { bindings: [{ exchange: 'callevt', routingKey: 'call.*.*' }] });
    const got: number[] = [];
    await bus.consume('shared', Job, async (m) => void got.push(m.n));
    await bus.publish('callevt', 'call.CHANNEL_CREATE.abc', { n: 2 });
    await waitFor(() => got.length === 1, { message: 'delivery on the Kazoo-declared exchange' });
    await expect(bus.declareExchange('callevt', 'topic')).resolves.toBeUndefined();
  });

  it('re-declares them non-durable, with its queues bound again, after a reconnect that finds them gone', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5672 });
    const port = await proxy.listen();
    try {
      const bus = await started(AMQP_URL.replace(':5672', `:${port}`));
      await bus.declareQueue('shared', { bindings: [{ exchange: 'callmgr', routingKey: 'originate.resource.req' }] });
      const got: number[] = [];
      await bus.consume('shared', Job, async (m) => void got.push(m.n));
      proxy.cut();
      // what a broker restart does to non-durable exchanges and their bindings
      for (const name of ['callmgr', 'targeted', 'callevt', 'callctl']) await raw.attempt((ch) => ch.deleteExchange(`${namespace}.${name}`));
      proxy.restore();
      await expect(bus.publish('callmgr', 'originate.resource.req', { n: 3 }, { timeoutMs: 15_000 })).resolves.toBeUndefined();
      await waitFor(() => got.length === 1, { message: 'delivery after the reconnect', timeoutMs: 15_000 });
      expect(saw('amqp reconnected')).toBe(true);
      expect(await raw.declareAsKazoo(namespace)).toEqual(ALL_DECLARE_OK);
    } finally {
      await proxy.close();
    }
  });
});
