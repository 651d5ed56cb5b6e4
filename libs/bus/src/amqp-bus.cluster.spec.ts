import { waitFor } from '@legwork/common/testing';
import { z } from 'zod';
import { AmqpBus } from './amqp-bus.driver';
import { resolveBusConfig } from './bus.config';
import { captureLogger } from './testing/capture.logger';
import { type ScratchRabbitCluster, startRabbitCluster } from './testing/rabbit-cluster';

const Item = z.object({ i: z.number() });
const COUNT = 300;

function busOn(url: string, nodeId: string): AmqpBus {
  return new AmqpBus({ ...resolveBusConfig({ url, appName: 'cluster', nodeId, namespace: 'lwc', logger: captureLogger() }), urls: [url] });
}

/** Three RabbitMQ nodes started by the test (own names, ports, data), beside the shared broker. */
describe('amqp bus on a three-node RabbitMQ cluster', () => {
  let cluster: ScratchRabbitCluster | undefined;
  beforeAll(async () => {
    cluster = await startRabbitCluster(3);
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('loses no confirmed message of a quorum queue when the node it was declared on dies', async () => {
    if (cluster === undefined) throw new Error('the cluster did not start');
    const [first, second] = cluster.nodes;
    const publisher = busOn(first.url, 'pub');
    await publisher.start();
    await publisher.declareQueue('work', { type: 'quorum', bindings: [{ exchange: 'callmgr', routingKey: 'work' }] });
    // Every publish resolves only once the broker confirmed it: these are the messages accepted.
    const accepted: number[] = [];
    for (let batch = 0; batch < COUNT; batch += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => publisher.publish('callmgr', 'work', { i: batch + k }).then(() => void accepted.push(batch + k))));
    }
    expect(accepted).toHaveLength(COUNT);
    await publisher.close();
    const placed = await cluster.quorumMembers(1, 'lwc.work');
    expect(placed.members.sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
    expect(placed.leader).toBe(first.name);

    cluster.kill(0);
    await waitFor(async () => !(await cluster?.answers(0)), { message: 'the first node gone', timeoutMs: 30_000 });

    const consumer = busOn(second.url, 'con');
    const got = new Set<number>();
    try {
      await consumer.start();
      await consumer.declareQueue('work', { type: 'quorum', bindings: [{ exchange: 'callmgr', routingKey: 'work' }] });
      await consumer.consume('work', Item, async (m) => void got.add(m.i));
      await waitFor(() => got.size === COUNT, { message: `all ${COUNT} messages from the surviving nodes`, timeoutMs: 90_000 });
      expect([...got].sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
      expect((await cluster.quorumMembers(1, 'lwc.work')).leader).not.toBe(first.name);
    } finally {
      await consumer.close();
    }
  }, 180_000);
});
