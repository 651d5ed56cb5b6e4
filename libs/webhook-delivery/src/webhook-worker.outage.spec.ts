import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import type { Bus } from '@legwork/bus';
import type { CallEventName } from '@legwork/contracts';
import type { Account } from '@legwork/directory';
import { connect } from 'amqplib';
import { replayDeadDeliveries } from './dead-letter.replay';
import { WEBHOOK_DEAD_HEADERS, WEBHOOK_TOPOLOGY } from './delivery-job';
import { AMQP_URL, callEvent, HookReceiver, publishCallEvent, WebhookScratch } from './testing';
import type { WebhookDeliveryConfigInput } from './webhook-delivery.config';
import { isOutageFailure, WebhookWorker } from './webhook-worker';

const TIERS = [100, 200];
const PARTITIONS = 8;
/** The outage of the normal suite; the fault suite has the five-minute one. */
const OUTAGE_MS = Number(process.env['WEBHOOK_TEST_OUTAGE_MS'] ?? 20_000);
const base: WebhookDeliveryConfigInput = {
  allowedHosts: ['127.0.0.1'], retryTiersMs: TIERS, partitions: PARTITIONS, rebalanceMs: 200, connectTimeoutMs: 2000, totalTimeoutMs: 5000,
  outageProbeMinMs: 200, outageProbeMaxMs: 2000,
};
const scratch = new WebhookScratch(TIERS, PARTITIONS);
const receiver = new HookReceiver();
const running: WebhookWorker[] = [];
let bus: Bus;
let acct: Account;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const callId = (): string => `out-${randomBytes(5).toString('hex')}@10.0.0.7`;
const eventName = (n: number, total: number): CallEventName => (n === 1 ? 'CHANNEL_CREATE' : n === 2 ? 'CHANNEL_ANSWER' : n === total ? 'CHANNEL_DESTROY' : n % 2 === 0 ? 'CHANNEL_HOLD' : 'CHANNEL_UNHOLD');
const destroyFields = { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 5, 'Billing-Seconds': 4, 'Ringing-Seconds': 1 };
const publishEvent = (id: string, n: number, total: number): Promise<void> => {
  const name = eventName(n, total);
  return publishCallEvent(bus, callEvent(name, id, acct.id, { 'Event-Sequence': n, 'Origination-Call-ID': id, ...(name === 'CHANNEL_DESTROY' ? destroyFields : {}) }));
};
async function publishCalls(ids: string[], perCall: number, pauseMs: number): Promise<void> {
  for (let n = 1; n <= perCall; n++) {
    await Promise.all(ids.map((id) => publishEvent(id, n, perCall)));
    await sleep(pauseMs);
  }
}
const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** A receiver path that answers `down(n)` while it is down: the 2xx requests, per call, in arrival order. */
function outagePath(path: string, isDown: () => boolean, downStatus = 503): () => Map<string, number[]> {
  const statuses: number[] = [];
  receiver.on(path, (n) => (statuses[n - 1] = isDown() ? downStatus : 200));
  return () => {
    const byCall = new Map<string, number[]>();
    receiver.got(path).forEach((r, i) => {
      if (statuses[i] !== 200) return;
      const body = JSON.parse(r.body) as { origination_call_id: string; event_sequence: number };
      byCall.set(body.origination_call_id, [...(byCall.get(body.origination_call_id) ?? []), body.event_sequence]);
    });
    return byCall;
  };
}
const delivered = (got: Map<string, number[]>): number => [...got.values()].reduce((n, s) => n + s.length, 0);

/** The reason headers of the first `n` parked jobs, left in the queue (unacked, then requeued). */
async function peekReasons(queue: string, n: number): Promise<string[]> {
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    const reasons: string[] = [];
    for (let msg = await ch.get(queue); msg !== false && reasons.length < n; msg = reasons.length < n ? await ch.get(queue) : false) {
      reasons.push(String(msg.properties.headers?.[WEBHOOK_DEAD_HEADERS.reason]));
    }
    await ch.close();
    return reasons;
  } finally {
    await conn.close();
  }
}

async function startWorker(node: string, config: WebhookDeliveryConfigInput = base): Promise<WebhookWorker> {
  const worker = new WebhookWorker({ bus: await scratch.bus(node), directory: scratch.directory, config, appName: 'webhooks', appVersion: '0.1.0', outage: scratch.outage });
  await worker.start();
  running.push(worker);
  return worker;
}

beforeAll(async () => {
  await receiver.listen();
  bus = await scratch.bus('publisher');
  acct = await scratch.directory.accounts.create({ name: `out${randomBytes(4).toString('hex')}`, realm: `out${randomBytes(4).toString('hex')}.local` });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

afterAll(async () => {
  await receiver.close();
  await scratch.dispose();
});

describe('a hook whose receiver is down (outage mode, RabbitMQ + Redis)', () => {
  it(`receiver failing for ${OUTAGE_MS / 1000} s, two workers: every event arrives once after it returns, in order per call; the hook stays enabled`, async () => {
    const path = '/down';
    let downUntil = Number.POSITIVE_INFINITY;
    const accepted = outagePath(path, () => Date.now() < downUntil);
    const h = await scratch.directory.webhooks.create(acct.id, { name: 'down', uri: receiver.url(path), hook: 'all', format: 'json', retries: 2 });
    await startWorker('o1');
    await startWorker('o2');
    const ids = Array.from({ length: 30 }, callId);
    const perCall = 10;
    downUntil = Date.now() + OUTAGE_MS;
    // The calls' events keep coming through the outage and after it.
    await publishCalls(ids, perCall, Math.round((OUTAGE_MS * 1.3) / perCall));
    await waitFor(() => delivered(accepted()) >= ids.length * perCall, { timeoutMs: OUTAGE_MS + 60_000 });
    await sleep(1000);
    const got = accepted();
    expect(receiver.got(path).length).toBeGreaterThan(ids.length * perCall);
    for (const id of ids) expect(got.get(id)).toEqual(oneTo(perCall));
    expect(delivered(got)).toBe(ids.length * perCall);
    expect(await scratch.directory.webhooks.get(acct.id, h.id)).toMatchObject({ enabled: true });
    expect(await scratch.outage.redis.exists(`${scratch.prefix}webhooks:outage:{${h.id}}:state`)).toBe(0);
  }, OUTAGE_MS + 120_000);

  it('an outage beyond its bound disables the hook and leaves every event in the dead queue; re-enable and replay deliver them', async () => {
    const path = '/gone-for-good';
    let down = true;
    outagePath(path, () => down);
    const h = await scratch.directory.webhooks.create(acct.id, { name: 'long', uri: receiver.url(path), hook: 'all', format: 'json' });
    await startWorker('l1', { ...base, outageMaxMs: 3000 });
    await startWorker('l2', { ...base, outageMaxMs: 3000 });
    const ids = Array.from({ length: 5 }, callId);
    await publishCalls(ids, 4, 300);
    await waitFor(async () => !(await scratch.directory.webhooks.get(acct.id, h.id)).enabled, { timeoutMs: 30_000 });
    await waitFor(async () => (await bus.queueDepth(WEBHOOK_TOPOLOGY.deadQueue)) >= 20, { timeoutMs: 20_000 });
    const reasons = await peekReasons(`${scratch.namespace}.${WEBHOOK_TOPOLOGY.deadQueue}`, 20);
    expect(new Set(reasons)).toEqual(new Set(['outage_exceeded']));
    expect(await scratch.directory.webhooks.get(acct.id, h.id)).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('receiver failing for more than 3 s') });

    down = false;
    const before = receiver.got(path).length;
    await scratch.directory.webhooks.patch(acct.id, h.id, { 're-enable': true });
    expect(await replayDeadDeliveries(bus, { idleMs: 500, retryTiersMs: TIERS, partitions: PARTITIONS })).toBe(20);
    await waitFor(() => receiver.got(path).length >= before + 20, { timeoutMs: 20_000 });
    const replayed = receiver.got(path).slice(before).map((r) => JSON.parse(r.body) as { origination_call_id: string; event_sequence: number });
    expect(replayed.map((b) => `${b.origination_call_id}#${b.event_sequence}`).sort()).toEqual(ids.flatMap((id) => oneTo(4).map((n) => `${id}#${n}`)).sort());
  }, 120_000);

  it('a 4xx is not an outage: retried on the tiers as before and counted toward auto-disable', async () => {
    const path = '/rejects';
    receiver.on(path, () => 400);
    const h = await scratch.directory.webhooks.create(acct.id, { name: 'rejects', uri: receiver.url(path), hook: 'channel_answer', format: 'json', retries: 1 });
    await startWorker('r1');
    for (let i = 0; i < 6; i++) {
      await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', callId(), acct.id));
      await waitFor(() => receiver.got(path).length >= i + 1, { timeoutMs: 10_000 });
      await sleep(150);
    }
    await waitFor(async () => !(await scratch.directory.webhooks.get(acct.id, h.id)).enabled, { timeoutMs: 10_000 });
    expect(await scratch.outage.redis.exists(`${scratch.prefix}webhooks:outage:{${h.id}}:state`)).toBe(0);
  }, 60_000);

  it('tells an away receiver from a refusing one', () => {
    const f = (statusCode?: number, error = 'x') => ({ kind: 'failure' as const, durationMs: 1, error, ...(statusCode === undefined ? {} : { statusCode }) });
    expect([500, 502, 503, 504, 408, 429].map((c) => isOutageFailure(f(c)))).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 422].map((c) => isOutageFailure(f(c)))).toEqual([false, false, false, false, false]);
    expect(isOutageFailure(f(undefined, 'Error: connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
    expect(isOutageFailure(f(undefined, 'refused: private address'))).toBe(false);
    expect(isOutageFailure({ kind: 'success', statusCode: 200, durationMs: 1 })).toBe(false);
  });
});
