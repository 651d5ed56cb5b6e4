import { waitFor } from '@legwork/common/testing';
import { startRabbitCluster, type ScratchRabbitCluster } from '@legwork/bus/testing';
import type { Json } from '../kazoo-platform.fixture';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { lost, report, settledFates } from './call-ledger';
import { FaultPlatform, type RunningApp } from './fault-platform';
import { OwnRedis } from './own-redis';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The brokers an app's bus connected to, in order, read from its `amqp connected` / `amqp reconnected` log lines. */
function brokersOf(app: RunningApp): string[] {
  return app.proc.stdout
    .split('\n')
    .filter((l) => l.includes('"msg":"amqp connected"') || l.includes('"msg":"amqp reconnected"'))
    .map((l) => String((JSON.parse(l) as Json)['broker']));
}

describe('fault: the RabbitMQ node the apps are connected to killed under load, two of three left', () => {
  let cluster: ScratchRabbitCluster;
  let redis: OwnRedis;
  let platform: FaultPlatform;
  let bus: BusWatch;


  beforeAll(async () => {
    [cluster, redis] = await Promise.all([startRabbitCluster(3), OwnRedis.start()]);
    // every app is given all three nodes, in the same order: all of them land on the first
    platform = new FaultPlatform({ amqpUrl: cluster.nodes.map((n) => n.url).join(','), redisUrl: redis.url, mediaNodes: 2, websockets: 1, holdMs: 3000 });
    await platform.start();
    // the watcher reads from a node that survives, so it sees the failover from outside
    bus = await BusWatch.open(cluster.nodes[2]?.url ?? '', platform.scratch.AMQP_NAMESPACE);
  }, 400_000);

  afterAll(async () => {
    await bus?.close();
    await platform?.close();
    await Promise.all([cluster?.stop(), redis?.stop()]);
  }, 120_000);

  it('carries out or reports failed every request it answered 202, and every app moves to a surviving node by itself', async () => {
    const first = new URL(cluster.nodes[0]?.url ?? '').host;
    expect(platform.apps.map((a) => brokersOf(a))).toEqual(platform.apps.map(() => [first]));
    const load = new CallLoad(platform, 5);
    load.start();
    await waitFor(() => load.accepted().length >= 20, { message: () => `calls accepted before the fault ${JSON.stringify(load.byStatus())}\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });

    const killedAt = Date.now();
    cluster.kill(0);
    await waitFor(() => platform.apps.every((a) => brokersOf(a).length === 2), { message: () => `every app reconnected\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });
    const reconnectedMs = Date.now() - killedAt;
    await waitFor(() => load.attempts.some((a) => a.at > killedAt && a.status === 202), { message: () => `a 202 after the kill ${JSON.stringify(load.byStatus())}\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });
    const recoveredMs = Math.min(...load.attempts.filter((a) => a.at > killedAt && a.status === 202).map((a) => a.at)) - killedAt;
    await sleep(15_000);
    await load.stop();

    const accepted = load.accepted().map((a) => a.callId as string);
    const all = await settledFates(accepted, async () => [...bus.events, ...(await platform.eventLog())]);
    const afterKill = load.accepted().filter((a) => a.at > killedAt + recoveredMs).map((a) => a.callId as string);
    const onBusAfter = afterKill.filter((id) => bus.of(id, 'CHANNEL_DESTROY').length > 0);
    const health = await Promise.all(platform.apps.map(async (a) => ({ app: a.nodeId, status: (await fetch(`${a.url}/healthz`)).status })));
    report('RabbitMQ node SIGKILL (3-node cluster)', {
      sent: load.attempts.length, answered: load.byStatus(), reconnectedAllMs: reconnectedMs, first202AfterMs: recoveredMs,
      accepted: accepted.length, carriedOut: all.filter((f) => !f.failed && f.legs.length > 0).length, failedReported: all.filter((f) => f.failed).length,
      afterKill: afterKill.length, afterKillOnBus: onBusAfter.length, watcherReconnects: bus.reconnects, lost: lost(all).length,
    });
    expect(lost(all)).toEqual([]);
    // a publish the dead node never confirmed is answered 503, never 500 and never a 202 without a confirm
    expect(load.attempts.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([]);
    // nobody went back to the dead node: each app's second connection is to one of the other two
    const survivors = cluster.nodes.slice(1).map((n) => new URL(n.url).host);
    expect(platform.apps.filter((a) => !survivors.includes(brokersOf(a)[1] ?? ''))).toEqual([]);
    expect(afterKill.length).toBeGreaterThan(0);
    expect(onBusAfter).toEqual(afterKill);
    expect(bus.reconnects).toBe(0);
    expect(health.filter((h) => h.status !== 200)).toEqual([]);
    await waitFor(async () => (await platform.store.limits.inUse(platform.accountId)) === 0, { message: 'every channel released', timeoutMs: 30_000, intervalMs: 500 });
  });
});
