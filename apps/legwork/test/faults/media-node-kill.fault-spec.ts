import { waitFor } from '@legwork/common/testing';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { lost, report, settledFates } from './call-ledger';
import { FaultPlatform } from './fault-platform';
import { killWithCallsUp } from './node-kill';
import { OwnRabbit } from './own-rabbit';
import { OwnRedis } from './own-redis';

describe('fault: a media node SIGKILLed mid-calls under load', () => {
  let rabbit: OwnRabbit;
  let redis: OwnRedis;
  let platform: FaultPlatform;
  let bus: BusWatch;

  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([OwnRabbit.start(), OwnRedis.start()]);
    platform = new FaultPlatform({ amqpUrl: rabbit.url, redisUrl: redis.url, mediaNodes: 2, holdMs: 4000 });
    await platform.start();
    bus = await BusWatch.open(rabbit.url, platform.scratch.AMQP_NAMESPACE);
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    await platform?.close();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  }, 120_000);

  it('ends every call of the dead node with CHANNEL_DESTROY within 10 s, releases its channels, and carries new calls on the other node', async () => {
    const [doomed, survivor] = platform.of('media-node');
    const load = new CallLoad(platform, 5);
    load.start();
    const { onKilled: onDoomed, killedAt, destroyedWithinMs: destroyedWithin } = await killWithCallsUp(doomed, platform.store.calls, bus, () => platform.output());

    // the load goes on through the failover and beyond it
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await load.stop();
    const accepted = load.accepted().map((a) => a.callId as string);
    const all = await settledFates(accepted, () => bus.events);
    await waitFor(async () => (await platform.store.limits.inUse(platform.accountId)) === 0, { message: 'every channel released', timeoutMs: 30_000, intervalMs: 250 }).catch(() => undefined);
    // a request answered once the node was dead and swept can only have run on the survivor
    const after = load.accepted().filter((a) => a.at > killedAt + destroyedWithin).map((a) => a.callId as string);
    const createdOn = (id: string): unknown => bus.of(id, 'CHANNEL_CREATE')[0]?.['Node'];
    const destroys = bus.events.filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY');
    report('media-node SIGKILL', {
      sent: load.attempts.length, answered: load.byStatus(), onKilledNode: onDoomed.length, destroyedWithinMs: destroyedWithin,
      channelDestroys: destroys.length, failedReported: all.filter((f) => f.failed).length, afterKill: after.length, lost: lost(all).length,
    });
    expect(lost(all)).toEqual([]);
    expect(onDoomed.every((id) => bus.of(id, 'CHANNEL_DESTROY').length === 1)).toBe(true);
    expect(await platform.store.limits.inUse(platform.accountId)).toBe(0);
    expect(await platform.store.calls.listByNode(doomed.nodeId)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((id) => createdOn(id) !== survivor.nodeId)).toEqual([]);
    // one CHANNEL_DESTROY per leg, whoever sent it
    const legs = destroys.map((e) => String(e['Call-ID']));
    expect(new Set(legs).size).toBe(legs.length);
  });
});
