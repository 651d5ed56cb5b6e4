import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { migrateBrokerExchanges } from './broker-migration';
import type { BusOptions } from './bus.driver';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';
import { captureLogger } from './testing/capture.logger';
import { ALL_DECLARE_OK, RawBroker } from './testing/kazoo-tool';
import { TcpProxy } from './testing/tcp-proxy';

const Job = z.object({ n: z.number() });
const PRECONDITION_FAILED = 406;
const SHARED = 'legwork.originate';
const KEY = 'originate.resource.req';

describe('amqp bus on a broker whose exchanges an earlier Legwork declared durable', () => {
  let ns = '';
  let raw: RawBroker;
  const buses: AmqpBus[] = [];
  const q = (name: string): string => `${ns}.${name}`;
  const x = (name: string): string => `${ns}.${name}`;

  /** What an earlier Legwork left: durable exchanges, its durable shared queue bound, a request parked in it. */
  async function oldLegworkBroker(): Promise<void> {
    expect((await raw.declareAsOldLegwork(ns)).every((o) => o.ok)).toBe(true);
    await raw.attempt(async (ch) => {
      await ch.assertQueue(q(SHARED), { durable: true, arguments: { 'x-dead-letter-exchange': x('legwork.dlx') } });
      await ch.bindQueue(q(SHARED), x('callmgr'), KEY);
      ch.publish(x('callmgr'), KEY, Buffer.from(JSON.stringify({ n: 1 })), { persistent: true });
    });
  }

  const stillDurable = async (): Promise<boolean> => (await raw.declareAsOldLegwork(ns)).every((o) => o.ok);
  const routesToShared = async (): Promise<number> => {
    const before = await raw.attempt((ch) => ch.checkQueue(q(SHARED)));
    await raw.attempt(async (ch) => void ch.publish(x('callmgr'), KEY, Buffer.from(JSON.stringify({ n: 9 }))));
    const after = await raw.attempt((ch) => ch.checkQueue(q(SHARED)));
    return before.ok && after.ok ? after.value.messageCount - before.value.messageCount : -1;
  };

  function newBus(overrides: Partial<BusOptions> = {}, url = AMQP_URL) {
    const logger = captureLogger();
    const bus = new AmqpBus({ ...resolveBusConfig({ url, appName: 'upgrade', nodeId: 'n1', namespace: ns, logger, startTimeoutMs: 20_000, ...overrides }), urls: [url] });
    buses.push(bus);
    return { bus, logger };
  }

  beforeEach(async () => {
    ns = `t${randomBytes(5).toString('hex')}`;
    raw = await RawBroker.open();
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await raw.close();
    await deleteNamespace(ns, [SHARED, 'kazoo-tool.q', 'work']);
  });

  it('auto: replaces them at start, keeps the shared queue and its messages, re-binds it, and Kazoo then gets declare-ok', async () => {
    await oldLegworkBroker();
    const { bus, logger } = newBus();
    await bus.start();
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg.startsWith('replaced exchanges an earlier Legwork declared durable'))).toBe(true);
    expect(await raw.declareAsKazoo(ns)).toEqual(ALL_DECLARE_OK);
    // re-bound by the migration itself, before any app declares the queue again
    expect(await routesToShared()).toBe(1);
    await bus.declareQueue(SHARED, { durable: true, bindings: [{ exchange: 'callmgr', routingKey: KEY }] });
    const got: number[] = [];
    await bus.consume(SHARED, Job, async (m) => void got.push(m.n));
    await waitFor(() => got.length === 2, { message: 'the parked request and the one sent after the migration' });
    expect(got).toEqual([1, 9]);
  });

  it('manual: refuses to start at once, naming the exchanges and the command, and changes nothing', async () => {
    await oldLegworkBroker();
    const { bus, logger } = newBus({ exchangeMigration: 'manual' });
    const err = await bus.start().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bus_legacy_exchanges' });
    expect(String((err as Error).message)).toContain('npm run legwork -- bus migrate-exchanges');
    expect(String((err as Error).message)).toContain(x('callmgr'));
    // refused on the first attempt, not a retry loop running into the start timeout
    expect(logger.lines.filter((l) => l.msg === 'amqp connect failed; retrying')).toEqual([]);
    expect(await stillDurable()).toBe(true);
    expect(await routesToShared()).toBe(1);
  });

  it('auto: refuses while an old Legwork still consumes the shared queue, and leaves every exchange and binding as they were', async () => {
    await oldLegworkBroker();
    const oldNode = await RawBroker.open();
    try {
      await oldNode.holdConsumer(q(SHARED));
      const { bus } = newBus();
      const err = await bus.start().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'bus_legacy_exchanges' });
      expect(String((err as Error).message)).toMatch(new RegExp(`queue ${q(SHARED).replace(/\./g, '\\.')} has 1 consumer`));
      expect(String((err as Error).message)).toContain('npm run legwork -- bus migrate-exchanges');
      expect(await stillDurable()).toBe(true);
    } finally {
      await oldNode.close();
    }
    expect(await routesToShared()).toBe(1);
  });

  it('auto: refuses when another application bound a queue Legwork does not know, and puts everything back as it was', async () => {
    await oldLegworkBroker();
    await raw.attempt(async (ch) => {
      await ch.assertQueue(q('kazoo-tool.q'), { durable: true });
      await ch.bindQueue(q('kazoo-tool.q'), x('callmgr'), '#');
    });
    const { bus } = newBus();
    const err = await bus.start().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bus_legacy_exchanges' });
    expect(String((err as Error).message)).toContain('bindings Legwork does not know');
    expect(String((err as Error).message)).toContain('--force');
    expect(await stillDurable()).toBe(true);
    expect(await routesToShared()).toBe(1);
    const other = await raw.attempt((ch) => ch.checkQueue(q('kazoo-tool.q')));
    expect(other.ok && other.value.messageCount).toBe(1);
  });

  it('the migration command: --dry-run changes nothing, --force replaces even with an unknown binding, re-binding the shared queue', async () => {
    await oldLegworkBroker();
    await raw.attempt(async (ch) => {
      await ch.assertQueue(q('kazoo-tool.q'), { durable: true });
      await ch.bindQueue(q('kazoo-tool.q'), x('callevt'), '#');
    });
    const dry = await migrateBrokerExchanges({ url: AMQP_URL, namespace: ns, dryRun: true });
    expect(dry.map((r) => [r.exchange, r.outcome])).toEqual([['callmgr', 'would_migrate'], ['targeted', 'would_migrate'], ['callevt', 'would_migrate'], ['callctl', 'would_migrate']]);
    expect(await stillDurable()).toBe(true);

    const plain = await migrateBrokerExchanges({ url: AMQP_URL, namespace: ns });
    expect(plain.map((r) => r.outcome)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(plain[2]!.reason).toContain('bindings Legwork does not know');
    expect(plain[0]!.reason).toContain(`since ${x('callevt')} cannot be replaced`);
    // all or nothing: the exchanges deleted before callevt refused are back as they were, bindings too
    expect(await stillDurable()).toBe(true);
    expect(await routesToShared()).toBe(1);

    const forced = await migrateBrokerExchanges({ url: AMQP_URL, namespace: ns, force: true });
    expect(forced.map((r) => [r.exchange, r.outcome])).toEqual([['callmgr', 'migrated'], ['targeted', 'migrated'], ['callevt', 'migrated'], ['callctl', 'migrated']]);
    expect(forced[0]!.rebound).toEqual([SHARED]);
    expect(await raw.declareAsKazoo(ns)).toEqual(ALL_DECLARE_OK);
    expect(await routesToShared()).toBe(1);
    expect((await migrateBrokerExchanges({ url: AMQP_URL, namespace: ns })).every((r) => r.outcome === 'unchanged')).toBe(true);
  });

  it('a running bus that reconnects to exchanges re-declared durable meanwhile replaces them and keeps consuming', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5672 });
    const port = await proxy.listen();
    try {
      const { bus, logger } = newBus({}, AMQP_URL.replace(':5672', `:${port}`));
      await bus.start();
      await bus.declareQueue('work', { bindings: [{ exchange: 'callctl', routingKey: 'work' }] });
      const got: number[] = [];
      await bus.consume('work', Job, async (m) => void got.push(m.n));
      proxy.cut();
      // an old node won the race after a broker restart: the exchanges come back durable
      for (const name of ['callmgr', 'targeted', 'callevt', 'callctl']) await raw.attempt((ch) => ch.deleteExchange(x(name)));
      expect((await raw.declareAsOldLegwork(ns)).every((o) => o.ok)).toBe(true);
      proxy.restore();
      await expect(bus.publish('callctl', 'work', { n: 4 }, { timeoutMs: 15_000 })).resolves.toBeUndefined();
      await waitFor(() => got.length === 1, { message: 'delivery after the reconnect', timeoutMs: 15_000 });
      expect(logger.lines.some((l) => l.msg.startsWith('replaced exchanges an earlier Legwork declared durable'))).toBe(true);
      expect(await raw.declareAsKazoo(ns)).toEqual(ALL_DECLARE_OK);
    } finally {
      await proxy.close();
    }
  });

  it('reports a refused exchange declared with another type without touching it', async () => {
    await raw.attempt((ch) => ch.assertExchange(x('callctl'), 'fanout', { durable: false }));
    const result = await migrateBrokerExchanges({ url: AMQP_URL, namespace: ns });
    expect(result.find((r) => r.exchange === 'callctl')).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('another type or arguments') });
    const still = await raw.attempt((ch) => ch.assertExchange(x('callctl'), 'fanout', { durable: false }));
    expect(still.ok).toBe(true);
    const kazoo = await raw.declareAsKazoo(ns);
    expect(kazoo.find((o) => o.name === 'callctl')).toEqual({ name: 'callctl', ok: false, code: PRECONDITION_FAILED });
  });
});
