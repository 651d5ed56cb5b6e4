import { waitFor } from '@legwork/common/testing';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { fates, lost, report } from './call-ledger';
import { FaultPlatform } from './fault-platform';
import { OwnRabbit } from './own-rabbit';
import { OwnRedis } from './own-redis';

const OUTAGE_MS = Number(process.env['FAULT_REDIS_OUTAGE_MS'] ?? 15_000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('fault: Redis killed and restarted under load', () => {
  let rabbit: OwnRabbit;
  let redis: OwnRedis;
  let platform: FaultPlatform;
  let bus: BusWatch;

  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([OwnRabbit.start(), OwnRedis.start()]);
    platform = new FaultPlatform({ amqpUrl: rabbit.url, redisUrl: redis.url, mediaNodes: 1, holdMs: 3000 });
    await platform.start();
    bus = await BusWatch.open(rabbit.url, platform.scratch.AMQP_NAMESPACE);
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    await platform?.close();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  }, 120_000);

  it('answers 503 while Redis is gone, recovers by itself, and leaves no call half-recorded', async () => {
    const load = new CallLoad(platform, 5);
    load.start();
    await waitFor(() => load.accepted().length >= 20, { message: () => `calls accepted before the fault ${JSON.stringify(load.byStatus())}\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });

    await redis.kill();
    const killedAt = Date.now();
    await sleep(OUTAGE_MS / 2);
    const health = await Promise.all(platform.apps.map(async (a) => (await fetch(`${a.url}/healthz`)).status));
    await sleep(OUTAGE_MS / 2);
    const restartedAt = Date.now();
    await redis.up();
    // recovered: requests are accepted again without anything restarted but Redis
    await waitFor(() => load.attempts.some((a) => a.at > restartedAt && a.status === 202), { message: () => `a 202 after Redis came back ${JSON.stringify(load.byStatus())}\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });
    const recoveredMs = Math.min(...load.attempts.filter((a) => a.at > restartedAt && a.status === 202).map((a) => a.at)) - restartedAt;
    await sleep(10_000);
    await load.stop();

    const accepted = load.accepted().map((a) => a.callId as string);
    await waitFor(() => lost(fates(accepted, bus.events)).length === 0, { message: 'every accepted call ended', timeoutMs: 60_000, intervalMs: 250 }).catch(() => undefined);
    await waitFor(async () => (await platform.store.limits.inUse(platform.accountId)) === 0 && (await platform.store.calls.listByAccount(platform.accountId)).length === 0, { message: 'store empty', timeoutMs: 60_000, intervalMs: 500 }).catch(() => undefined);

    // sent once the store was dead and answered before it was back (a request may wait out the outage in the client's
    // retries and succeed after it)
    const during = load.attempts.filter((a) => a.at > killedAt && a.doneAt < restartedAt);
    const all = fates(accepted, bus.events);
    const leftInStore = await platform.store.calls.listByAccount(platform.accountId);
    report('Redis restart', {
      sent: load.attempts.length, answered: load.byStatus(), outageMs: restartedAt - killedAt, duringOutage: during.length, duringStatuses: [...new Set(during.map((a) => a.status))],
      healthz: health, recoveredAfterMs: recoveredMs, accepted: accepted.length, channelDestroys: bus.events.filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY').length,
      failedReported: all.filter((f) => f.failed).length, leftInStore: leftInStore.length, channelsHeld: await platform.store.limits.inUse(platform.accountId), lost: lost(all).length,
    });
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status !== 503)).toEqual([]);
    expect(health.every((s) => s === 503)).toBe(true);
    expect({ lost: lost(all), logs: lost(all).map((f) => platform.logsAbout(f.callId)) }).toEqual({ lost: [], logs: [] });
    // no call half-recorded: every record ended and every channel given back once Redis is back
    expect(leftInStore).toEqual([]);
    expect(await platform.store.limits.inUse(platform.accountId)).toBe(0);
  });
});
