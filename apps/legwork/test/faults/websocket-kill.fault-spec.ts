import { waitFor } from '@legwork/common/testing';
import { BlackholeClient, type Frame } from '@legwork/event-stream/testing';
import type { Json } from '../kazoo-platform.fixture';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { report } from './call-ledger';
import { FaultPlatform } from './fault-platform';
import { OwnRabbit } from './own-rabbit';
import { OwnRedis } from './own-redis';

/** What a blackhole `call.*.*` subscription carries (Kazoo's bh_call set). */
const BLACKHOLE_STAR = new Set(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_BRIDGE']);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const frameId = (f: Frame): string => `${String((f['data'] as Json)['call_id'])}#${String((f['data'] as Json)['event_sequence'])}`;
const eventId = (e: Json): string => `${String(e['Call-ID'])}#${String(e['Event-Sequence'])}`;
const wsUrl = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws')}/websocket`;

describe('fault: a websockets instance SIGKILLed under load', () => {
  let rabbit: OwnRabbit;
  let redis: OwnRedis;
  let platform: FaultPlatform;
  let bus: BusWatch;
  const sockets: BlackholeClient[] = [];

  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([OwnRabbit.start(), OwnRedis.start()]);
    platform = new FaultPlatform({ amqpUrl: rabbit.url, redisUrl: redis.url, mediaNodes: 1, websockets: 2, holdMs: 2000 });
    await platform.start();
    bus = await BusWatch.open(rabbit.url, platform.scratch.AMQP_NAMESPACE);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await bus?.close();
    await platform?.close();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  }, 120_000);

  it('its client reconnects to the other instance with its cursor and gets every event once, in order, without a gap', async () => {
    const [doomed, other] = platform.of('websockets');
    const first = await BlackholeClient.connect(wsUrl(doomed.url));
    sockets.push(first);
    expect(await first.subscribe(platform.token, platform.accountId, 'call.*.*')).toMatchObject({ status: 'success' });
    const load = new CallLoad(platform, 5);
    load.start();
    await first.waitForEvents(30, 60_000);

    doomed.proc.child.kill('SIGKILL');
    await first.closed;
    const cursor = first.events[first.events.length - 1]?.['cursor'];
    // the client's own reconnect: another instance, the last cursor it saw
    const again = await BlackholeClient.connect(wsUrl(other.url));
    sockets.push(again);
    const resumed = await again.request({ action: 'subscribe', auth_token: platform.token, data: { account_id: platform.accountId, binding: 'call.*.*', since: cursor } });
    expect(resumed).toMatchObject({ status: 'success', data: { resumed: { since: cursor, complete: true } } });

    await sleep(10_000);
    await load.stop();
    const accepted = new Set(load.accepted().map((a) => a.callId as string));
    const expected = (): Json[] => bus.events.filter((e) => accepted.has(String(e['Origination-Call-ID'])) && BLACKHOLE_STAR.has(String(e['Event-Name'])));
    const ended = (): boolean => [...accepted].every((id) => bus.of(id, 'CHANNEL_DESTROY').length > 0);
    await waitFor(ended, { message: 'every accepted call ended', timeoutMs: 60_000, intervalMs: 250 });
    await waitFor(() => first.events.length + again.events.length >= expected().length, { message: () => `frames ${first.events.length}+${again.events.length} of ${expected().length}`, timeoutMs: 30_000, intervalMs: 250 }).catch(() => undefined);
    await sleep(1000);

    const got = [...first.events, ...again.events].map(frameId);
    const want = expected().map(eventId);
    const missing = want.filter((id) => !got.includes(id));
    const duplicated = got.length - new Set(got).size;
    // within each call, the frames' event_sequence only grows, across both sockets
    const last = new Map<unknown, number>();
    const outOfOrder = [...first.events, ...again.events].filter((f) => {
      const d = f['data'] as Json;
      const seq = Number(d['event_sequence']);
      const bad = seq <= (last.get(d['origination_call_id']) ?? 0);
      last.set(d['origination_call_id'], seq);
      return bad;
    }).length;
    report('websockets SIGKILL', {
      sent: load.attempts.length, answered: load.byStatus(), framesBeforeKill: first.events.length, framesAfterReconnect: again.events.length,
      expected: want.length, missing: missing.length, duplicated, outOfOrder, lost: missing.length,
    });
    expect(load.accepted().length).toBe(load.attempts.length);
    expect(missing).toEqual([]);
    expect(duplicated).toBe(0);
    expect(outOfOrder).toBe(0);
  });
});
