import { waitFor } from '@legwork/common/testing';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { lost, report, settledFates } from './call-ledger';
import { FaultPlatform } from './fault-platform';
import { OwnRabbit } from './own-rabbit';
import { OwnRedis } from './own-redis';

const OUTAGE_MS = Number(process.env['FAULT_RABBITMQ_OUTAGE_MS'] ?? 10_000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('fault: RabbitMQ stopped and started again under load', () => {
  let rabbit: OwnRabbit;
  let redis: OwnRedis;
  let platform: FaultPlatform;
  let bus: BusWatch;


  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([OwnRabbit.start(), OwnRedis.start()]);
    platform = new FaultPlatform({ amqpUrl: rabbit.url, redisUrl: redis.url, mediaNodes: 2, webhooks: true, websockets: 1, holdMs: 3000 });
    await platform.start();
    bus = await BusWatch.open(rabbit.url, platform.scratch.AMQP_NAMESPACE);
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    await platform?.close();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  }, 120_000);

  it('carries out or reports failed every request it answered 202, and every app reconnects by itself', async () => {
    const load = new CallLoad(platform, 5);
    load.start();
    await waitFor(() => load.accepted().length >= 20, { message: () => `calls accepted before the fault ${JSON.stringify(load.byStatus())}\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });

    const stoppedAt = Date.now();
    await rabbit.down();
    await sleep(OUTAGE_MS);
    const startedAt = Date.now();
    await rabbit.up();
    const upAt = Date.now();
    await waitFor(() => load.attempts.some((a) => a.at > upAt && a.status === 202), { message: () => `a 202 after the broker came back ${JSON.stringify(load.byStatus())}\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });
    const recoveredMs = Math.min(...load.attempts.filter((a) => a.at > upAt && a.status === 202).map((a) => a.at)) - upAt;
    await sleep(15_000);
    await load.stop();

    const accepted = load.accepted().map((a) => a.callId as string);
    const all = await settledFates(accepted, async () => [...bus.events, ...(await platform.eventLog())]);
    // consumers are back: calls accepted after the restart ran, and their events reached a fresh subscriber
    const afterRestart = load.accepted().filter((a) => a.at > upAt + recoveredMs).map((a) => a.callId as string);
    const onBusAfter = afterRestart.filter((id) => bus.of(id, 'CHANNEL_DESTROY').length > 0);
    const health = await Promise.all(platform.apps.map(async (a) => ({ app: a.nodeId, status: (await fetch(`${a.url}/healthz`)).status })));
    report('RabbitMQ restart', {
      sent: load.attempts.length, answered: load.byStatus(), outageMs: upAt - stoppedAt, brokerStartMs: upAt - startedAt, recoveredAfterMs: recoveredMs,
      accepted: accepted.length, carriedOut: all.filter((f) => !f.failed && f.legs.length > 0).length, failedReported: all.filter((f) => f.failed).length,
      afterRestart: afterRestart.length, afterRestartOnBus: onBusAfter.length, watcherReconnects: bus.reconnects, lost: lost(all).length,
    });
    expect(lost(all)).toEqual([]);
    // while the broker is away the gateway says so: 503, never 500
    expect(load.attempts.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([]);
    expect(afterRestart.length).toBeGreaterThan(0);
    expect(onBusAfter).toEqual(afterRestart);
    expect(health.filter((h) => h.status !== 200)).toEqual([]);
    await waitFor(async () => (await platform.store.limits.inUse(platform.accountId)) === 0, { message: 'every channel released', timeoutMs: 30_000, intervalMs: 500 });
  });
});
