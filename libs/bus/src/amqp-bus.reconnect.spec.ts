import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { isBusError } from './bus.error';
import { AMQP_URL, deleteNamespace, withRawChannel } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';
import { closeConnectionNamed } from './testing/rabbitmqctl';
import { TcpProxy } from './testing/tcp-proxy';

const Item = z.object({ i: z.number() });
const MAX_ATTEMPTS = 200_000;

function newBus(namespace: string, url: string, publishTimeoutMs = 10_000) {
  const logger = captureLogger();
  const bus = new AmqpBus({ ...resolveBusConfig({ url, appName: 'reconnect', nodeId: 'n1', namespace, logger, publishTimeoutMs }), urls: [url] });
  const saw = (msg: string) => logger.lines.some((l) => l.msg === msg);
  return { bus, logger, saw };
}

describe('amqp bus when the broker closes its connection mid-stream', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const { bus, saw } = newBus(namespace, AMQP_URL);

  afterAll(async () => {
    await bus.close();
    await deleteNamespace(namespace, ['stream', 'after', 'rpc']);
  });

  it('loses no publish, reconnects, re-declares and resumes consuming and request/reply', async () => {
    await bus.start();
    await bus.declareQueue('stream', { bindings: [{ exchange: 'callmgr', routingKey: 'stream' }] });
    const consumed = new Set<number>();
    await bus.consume('stream', Item, async (m) => void consumed.add(m.i), { prefetch: 100 });

    const resolved = new Set<number>();
    const rejected = new Map<number, string>();
    let attempted = 0;
    let stopAt = MAX_ATTEMPTS;
    const worker = async (): Promise<void> => {
      while (attempted < stopAt) {
        const i = attempted++;
        await bus.publish('callmgr', 'stream', { i }).then(
          () => void resolved.add(i),
          (err: unknown) => void rejected.set(i, isBusError(err) ? err.code : String(err)),
        );
      }
    };
    const workers = Promise.all(Array.from({ length: 10 }, worker));

    await waitFor(() => resolved.size >= 100, { message: 'publishing under way' });
    expect(await closeConnectionNamed(bus.connectionName)).toBe(1);
    await waitFor(() => saw('amqp reconnected'), { message: 'reconnection', timeoutMs: 15_000 });
    const resumedFrom = resolved.size;
    await waitFor(() => resolved.size >= resumedFrom + 200, { message: 'publishing after reconnect', timeoutMs: 15_000 });
    stopAt = attempted;
    await workers;

    expect(saw('amqp connection lost; reconnecting')).toBe(true);
    expect(resolved.size + rejected.size).toBe(attempted);
    expect([...new Set(rejected.values())].every((code) => code === 'bus_unavailable')).toBe(true);
    // Every confirmed publish is really delivered, across the reconnect (redelivery covers lost acks).
    await waitFor(() => [...resolved].every((i) => consumed.has(i)), { message: 'all confirmed messages consumed', timeoutMs: 15_000 });
    for (let i = 0; i < attempted; i++) expect(consumed.has(i) || rejected.has(i)).toBe(true);

    await bus.declareQueue('after', { bindings: [{ exchange: 'callevt', routingKey: 'after.#' }] });
    const late: number[] = [];
    await bus.consume('after', Item, async (m) => void late.push(m.i));
    await bus.publish('callevt', 'after.x', { i: -1 });
    await waitFor(() => late.length === 1, { message: 'new consumer after reconnect' });

    await bus.declareQueue('rpc', { bindings: [{ exchange: 'callmgr', routingKey: 'rpc' }] });
    await bus.consume('rpc', z.object({ 'Server-ID': z.string(), 'Msg-ID': z.string() }), async (req) => {
      await bus.publish('targeted', req['Server-ID'], { 'Msg-ID': req['Msg-ID'], ok: true });
    });
    await expect(bus.request('callmgr', 'rpc', {}, { timeoutMs: 5_000 })).resolves.toMatchObject({ ok: true });
  });
});

describe('amqp bus during an outage it cannot reconnect through', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const target = new URL(AMQP_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
  let bus: AmqpBus | undefined;

  afterAll(async () => {
    await bus?.close();
    await proxy.close();
    await deleteNamespace(namespace, ['aux', 'work']);
  });

  it('holds publishes up to the bound then rejects bus_unavailable, and re-declares deleted topology on return', async () => {
    const url = new URL(AMQP_URL);
    url.hostname = '127.0.0.1';
    url.port = String(await proxy.listen());
    const made = newBus(namespace, url.toString(), 800);
    bus = made.bus;
    await bus.start();
    await bus.declareQueue('aux', { bindings: [{ exchange: 'callctl', routingKey: 'aux' }] });
    await bus.declareQueue('work', { bindings: [{ exchange: 'callctl', routingKey: 'work' }] });
    const got: number[] = [];
    await bus.consume('work', Item, async (m) => void got.push(m.i));

    proxy.cut();
    await waitFor(() => made.saw('amqp connection lost; reconnecting'), { message: 'loss noticed' });
    await expect(bus.ping()).rejects.toMatchObject({ code: 'bus_unavailable' });
    await expect(bus.publish('callctl', 'work', { i: 1 })).rejects.toMatchObject({ code: 'bus_unavailable' });
    const heldThrough = bus.publish('callctl', 'work', { i: 2 }, { timeoutMs: 30_000 });
    await withRawChannel((ch) => ch.deleteQueue(`${namespace}.aux`));
    proxy.restore();

    await heldThrough;
    await waitFor(() => got.includes(2), { message: 'held publish consumed after reconnect', timeoutMs: 15_000 });
    expect(got).not.toContain(1);
    await expect(withRawChannel((ch) => ch.checkQueue(`${namespace}.aux`))).resolves.toMatchObject({ queue: `${namespace}.aux` });
    await expect(bus.publish('callctl', 'aux', { i: 3 })).resolves.toBeUndefined();
    await expect(bus.ping()).resolves.toBeUndefined();
  });
});

describe('amqp bus given several brokers', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const target = new URL(AMQP_URL);
  const proxies = [0, 1].map(() => new TcpProxy({ host: target.hostname, port: Number(target.port || 5672) }));
  let bus: AmqpBus | undefined;

  afterAll(async () => {
    await bus?.close();
    await Promise.all(proxies.map((p) => p.close()));
    await deleteNamespace(namespace, ['work']);
  });

  it('connects to the first that answers, and on losing it goes on through the next, topology and consumers included', async () => {
    const urls = await Promise.all(proxies.map(async (p) => {
      const url = new URL(AMQP_URL);
      url.hostname = '127.0.0.1';
      url.port = String(await p.listen());
      return url.toString();
    }));
    const logger = captureLogger();
    proxies[0]?.cut();
    bus = new AmqpBus({ ...resolveBusConfig({ url: urls, appName: 'failover', nodeId: 'n1', namespace, logger }), urls });
    await bus.start();
    const connects = (): string[] => logger.lines.filter((l) => l.msg === 'amqp connected' || l.msg === 'amqp reconnected').map((l) => l.msg);
    expect(connects()).toEqual(['amqp connected']);
    expect(bus.broker).toBe(new URL(urls[1] as string).host);
    await bus.declareQueue('work', { bindings: [{ exchange: 'callctl', routingKey: 'work' }] });
    const got: number[] = [];
    await bus.consume('work', Item, async (m) => void got.push(m.i));
    await bus.publish('callctl', 'work', { i: 1 });

    // the second is now the one in use: losing it sends the bus back round to the first
    proxies[0]?.restore();
    proxies[1]?.cut();
    await waitFor(() => connects().length === 2, { message: 'reconnected through the other broker', timeoutMs: 15_000 });
    expect(bus.broker).toBe(new URL(urls[0] as string).host);
    await bus.publish('callctl', 'work', { i: 2 });
    await waitFor(() => got.includes(1) && got.includes(2), { message: 'consumed before and after the failover', timeoutMs: 15_000 });
    expect(logger.lines.some((l) => l.msg === 'amqp connection lost; reconnecting')).toBe(true);
  });
});

describe('amqp bus publishing nowhere just after it reconnected', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const { bus, saw } = newBus(namespace, AMQP_URL);
  const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'published', (err: unknown) => (isBusError(err) ? err.code : String(err)));

  afterAll(async () => {
    await bus.close();
    await deleteNamespace(namespace, []);
  });

  // A restarted broker forgets the bindings of Kazoo's non-durable exchanges until each consumer is back and re-binds.
  it('calls a return in the settle window an outage (bus_unavailable), and after a first connect no consumer (bus_unroutable)', async () => {
    await bus.start();
    expect(await codeOf(bus.publish('callmgr', 'nobody.binds.this', { i: 1 }))).toBe('bus_unroutable');
    expect(await closeConnectionNamed(bus.connectionName)).toBe(1);
    await waitFor(() => saw('amqp reconnected'), { message: 'reconnection', timeoutMs: 15_000 });
    expect(await codeOf(bus.publish('callmgr', 'nobody.binds.this', { i: 2 }))).toBe('bus_unavailable');
  });
});
