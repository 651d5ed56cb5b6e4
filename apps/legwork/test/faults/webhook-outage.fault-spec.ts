import { waitFor } from '@legwork/common/testing';
import { HookReceiver } from '@legwork/webhook-delivery/testing';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { report } from './call-ledger';
import { FaultPlatform } from './fault-platform';
import { OwnRabbit } from './own-rabbit';
import { OwnRedis } from './own-redis';
import type { Json } from '../kazoo-platform.fixture';

const OUTAGE_MS = Number(process.env['FAULT_WEBHOOK_OUTAGE_MS'] ?? 300_000);
const PATH = '/hook';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (origin: unknown, seq: unknown): string => `${String(origin)}#${String(seq)}`;

describe('fault: webhook receiver down 5 minutes under load', () => {
  let rabbit: OwnRabbit;
  let redis: OwnRedis;
  let platform: FaultPlatform;
  let bus: BusWatch;
  const receiver = new HookReceiver();
  let hookId = '';

  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([OwnRabbit.start(), OwnRedis.start()]);
    await receiver.listen();
    platform = new FaultPlatform({ amqpUrl: rabbit.url, redisUrl: redis.url, mediaNodes: 1, webhooks: true, holdMs: 3000 });
    await platform.start();
    bus = await BusWatch.open(rabbit.url, platform.scratch.AMQP_NAMESPACE);
    hookId = String((await platform.admin.create(`${platform.base}/webhooks`, { name: 'outage', uri: receiver.url(PATH), http_verb: 'post', hook: 'all', format: 'json', retries: 2 }))['id']);
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    await platform?.close();
    await receiver.close();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  }, 120_000);

  it('delivers every event after the receiver returns, in order per call, and keeps the hook enabled', async () => {
    const load = new CallLoad(platform, 2);
    load.start();
    await waitFor(() => receiver.got(PATH).length >= 20, { message: () => `deliveries before the fault\n${platform.output()}`, timeoutMs: 60_000, intervalMs: 200 });

    // Down as a stopped receiver is: connections refused, on the port the hook names.
    const port = receiver.port;
    await receiver.close();
    const downAt = Date.now();
    const before = receiver.got(PATH).length;
    await sleep(OUTAGE_MS);
    await receiver.listen(port);
    const upAt = Date.now();
    await sleep(10_000);
    await load.stop();

    const mine = (e: Json): boolean => (e['Custom-Channel-Vars'] as Json | undefined)?.['Account-ID'] === platform.accountId && typeof e['Event-Sequence'] === 'number';
    const expected = (): Set<string> => new Set(bus.events.filter(mine).map((e) => keyOf(e['Origination-Call-ID'] ?? e['Call-ID'], e['Event-Sequence'])));
    const bodies = (): Json[] => receiver.got(PATH).map((r) => JSON.parse(r.body) as Json);
    const received = (): Set<string> => new Set(bodies().map((b) => keyOf(b['origination_call_id'], b['event_sequence'])));
    // The receiver answers from this process: each check reads the bodies once, so it never stalls the receiver.
    const missing = (): string[] => {
      const got = received();
      return [...expected()].filter((k) => !got.has(k));
    };
    await waitFor(() => missing().length === 0, { message: () => `${missing().length} events not delivered\n${platform.output()}`, timeoutMs: 600_000, intervalMs: 2000 });
    const drainedMs = Date.now() - upAt;
    await sleep(3000);

    // Per call, the first copy of each event (the receiver drops repeats by (origination_call_id, event_sequence)) in order.
    const byCall = new Map<string, number[]>();
    const seen = new Set<string>();
    let repeats = 0;
    for (const b of bodies()) {
      const k = keyOf(b['origination_call_id'], b['event_sequence']);
      if (seen.has(k)) {
        repeats += 1;
        continue;
      }
      seen.add(k);
      if (typeof b['event_sequence'] !== 'number') continue;
      const id = String(b['origination_call_id']);
      byCall.set(id, [...(byCall.get(id) ?? []), b['event_sequence']]);
    }
    const outOfOrder = [...byCall].filter(([, seqs]) => seqs.some((s, i) => i > 0 && s < (seqs[i - 1] ?? 0)));
    const hook = (await platform.admin.call('GET', `${platform.base}/webhooks/${hookId}`)).body['data'] as Json;
    report('webhook receiver down', {
      sent: load.attempts.length, answered: load.byStatus(), downMs: upAt - downAt, deliveredBefore: before, expected: expected().size, delivered: seen.size,
      repeats, outOfOrder: outOfOrder.length, calls: byCall.size, drainedAfterMs: drainedMs, hookEnabled: hook['enabled'],
    });
    expect(expected().size).toBeGreaterThan(before);
    expect(missing()).toEqual([]);
    expect(outOfOrder).toEqual([]);
    expect(hook['enabled']).toBe(true);
  });
});
