import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import { createBus, type Bus } from '@legwork/bus';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { partitionKey, partitionQueueName, WEBHOOK_TOPOLOGY as T } from './delivery-job';
import { PartitionBalancer } from './partition-balancer';

const PARTITIONS = 6;
const Msg = z.object({ p: z.number() });

describe('partition balancer (in-process bus, single-active queues)', () => {
  const namespace = `bal${randomBytes(4).toString('hex')}`;
  const buses: Bus[] = [];
  const balancers: PartitionBalancer[] = [];
  let feeding = true;

  afterAll(async () => {
    feeding = false;
    await Promise.all(balancers.map((b) => b.stop()));
    await Promise.all(buses.map((b) => b.close()));
  });

  async function worker(nodeId: string, got: Map<number, number>): Promise<PartitionBalancer> {
    const bus = createBus({ appName: 'balancer-test', nodeId, namespace });
    await bus.start();
    buses.push(bus);
    await bus.declareExchange(T.exchange, 'direct');
    for (let p = 0; p < PARTITIONS; p++) await bus.declareQueue(partitionQueueName(p), { singleActiveConsumer: true, bindings: [{ exchange: T.exchange, routingKey: partitionKey(p) }] });
    const balancer: PartitionBalancer = new PartitionBalancer({
      bus,
      partitions: PARTITIONS,
      intervalMs: 250,
      logger: silentLogger,
      consume: (p) => bus.consume(partitionQueueName(p), Msg, async () => {
        balancer.touch(p);
        got.set(p, (got.get(p) ?? 0) + 1);
      }, { orderKey: (m) => String(m.p) }),
    });
    await balancer.start();
    balancers.push(balancer);
    return balancer;
  }

  it('the first worker up takes every busy partition, then hands the excess on to a second one', async () => {
    const [gotA, gotB] = [new Map<number, number>(), new Map<number, number>()];
    const a = await worker('a', gotA);
    const feeder = buses[0] as Bus;
    void (async () => {
      while (feeding) {
        for (let p = 0; p < PARTITIONS; p++) await feeder.publish(T.exchange, partitionKey(p), { p }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await waitFor(() => a.busy().length === PARTITIONS, { timeoutMs: 10_000 });
    const b = await worker('b', gotB);
    await waitFor(() => b.busy().length > 0 && a.busy().length <= PARTITIONS / 2, { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    // Shares settle at half each, and no partition is delivered by both at once.
    expect(a.busy().length + b.busy().length).toBe(PARTITIONS);
    expect(a.busy().filter((p) => b.busy().includes(p))).toEqual([]);
    expect(gotB.size).toBeGreaterThan(0);
  });
});
