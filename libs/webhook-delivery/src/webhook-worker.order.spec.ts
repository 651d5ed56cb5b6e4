import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import type { CallEventName } from '@legwork/contracts';
import type { Account } from '@legwork/directory';
import type { Bus } from '@legwork/bus';
import { BrokerRelay, callEvent, HookReceiver, publishCallEvent, WebhookScratch } from './testing';
import type { WebhookDeliveryConfigInput } from './webhook-delivery.config';
import { WebhookWorker } from './webhook-worker';

const TIERS = [100, 200];
/** Every delay queue a test declares, for the scratch to remove: one test retries on 100 ms then 1.5 s. */
const ALL_TIERS = [100, 200, 1500];
const PARTITIONS = 8;
const base: WebhookDeliveryConfigInput = { allowedHosts: ['127.0.0.1'], retryTiersMs: TIERS, partitions: PARTITIONS, rebalanceMs: 200, connectTimeoutMs: 2000, totalTimeoutMs: 5000 };
const scratch = new WebhookScratch(ALL_TIERS, PARTITIONS);
const receiver = new HookReceiver();
const running: WebhookWorker[] = [];
let bus: Bus;
let acct: Account;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const callId = (): string => `ord-${randomBytes(5).toString('hex')}@10.0.0.9`;
/** A call's n-th event (1-based): create, progress, answer, then hold/unhold, and destroy last. */
const eventName = (n: number, total: number): CallEventName =>
  n === 1 ? 'CHANNEL_CREATE' : n === 2 ? 'CHANNEL_PROGRESS' : n === 3 ? 'CHANNEL_ANSWER' : n === total ? 'CHANNEL_DESTROY' : n % 2 === 0 ? 'CHANNEL_HOLD' : 'CHANNEL_UNHOLD';
const destroyFields = { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 5, 'Billing-Seconds': 4, 'Ringing-Seconds': 1 };
const publishEvent = (id: string, n: number, total: number): Promise<void> => {
  const name = eventName(n, total);
  const extra = { 'Event-Sequence': n, 'Origination-Call-ID': id, 'Timestamp-Ms': Date.now(), ...(name === 'CHANNEL_DESTROY' ? destroyFields : {}) };
  return publishCallEvent(bus, callEvent(name, id, acct.id, extra));
};

/** What the receiver saw, per call: the event_sequence of every request, in arrival order. */
function arrivals(path: string): Map<string, number[]> {
  const byCall = new Map<string, number[]>();
  for (const r of receiver.got(path)) {
    const body = JSON.parse(r.body) as { origination_call_id: string; event_sequence: number };
    byCall.set(body.origination_call_id, [...(byCall.get(body.origination_call_id) ?? []), body.event_sequence]);
  }
  return byCall;
}
/** A receiver's de-duplication by (origination_call_id, event_sequence): first copies, in arrival order. */
const firstCopies = (seqs: number[]): number[] => seqs.filter((s, i) => seqs.indexOf(s) === i);
const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

async function startWorker(node: string, config: WebhookDeliveryConfigInput = base, busOpts: { url?: string; publishTimeoutMs?: number } = {}): Promise<WebhookWorker> {
  const worker = new WebhookWorker({ bus: await scratch.bus(node, busOpts), directory: scratch.directory, config, appName: 'webhooks', appVersion: '0.1.0' });
  await worker.start();
  running.push(worker);
  return worker;
}
async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((w) => w.stop()));
}
/** Publishes every call's events in rounds (event n of every call, then n + 1), a call's own in order. */
async function publishCalls(ids: string[], perCall: number, pauseMs: number): Promise<void> {
  for (let n = 1; n <= perCall; n++) {
    await Promise.all(ids.map((id) => publishEvent(id, n, perCall)));
    await sleep(pauseMs);
  }
}

beforeAll(async () => {
  await receiver.listen();
  bus = await scratch.bus('publisher');
  acct = await scratch.directory.accounts.create({ name: `ord${randomBytes(4).toString('hex')}`, realm: `ord${randomBytes(4).toString('hex')}.local` });
});

afterEach(stopAll);

afterAll(async () => {
  await stopAll();
  await receiver.close();
  await scratch.dispose();
});

describe('webhook delivery across workers, in order per call (RabbitMQ + Redis)', () => {
  it('three workers share the partitions; one stopped mid-run hands over and every call still arrives in order, once', async () => {
    const path = '/three';
    await scratch.directory.webhooks.create(acct.id, { name: 'three', uri: receiver.url(path), hook: 'all', format: 'json' });
    const workers = [await startWorker('w1'), await startWorker('w2'), await startWorker('w3')];
    const ids = Array.from({ length: 40 }, callId);
    const perCall = 12;
    const total = ids.length * perCall;
    const publishing = publishCalls(ids, perCall, 120);
    // The first worker up is active everywhere until it hands partitions on; wait for a second one to deliver.
    await waitFor(() => workers.filter((w) => w.deliveries > 0).length >= 2, { timeoutMs: 20_000 });
    await waitFor(() => receiver.got(path).length >= total / 3, { timeoutMs: 20_000 });
    const [first] = workers;
    // It was delivering (active on some partitions) when it stopped.
    expect(first?.deliveries).toBeGreaterThan(0);
    await first?.stop();
    running.splice(running.indexOf(first as WebhookWorker), 1);
    await publishing;
    await waitFor(() => receiver.got(path).length >= total, { timeoutMs: 30_000 });
    await sleep(500);
    expect(receiver.got(path)).toHaveLength(total);
    const got = arrivals(path);
    expect([...got.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(got.get(id)).toEqual(oneTo(perCall));
    expect(workers.slice(1).some((w) => w.deliveries > 0)).toBe(true);
  });

  it('a worker cut off from the broker mid-run (as in a crash): the others take over, order holds, repeats only', async () => {
    const path = '/crash';
    await scratch.directory.webhooks.create(acct.id, { name: 'crash', uri: receiver.url(path), hook: 'all', format: 'json' });
    const relay = new BrokerRelay();
    const url = await relay.listen();
    try {
      const cut = await startWorker('c1', base, { url, publishTimeoutMs: 1000 });
      await startWorker('c2');
      await startWorker('c3');
      const ids = Array.from({ length: 30 }, callId);
      const perCall = 10;
      const publishing = publishCalls(ids, perCall, 100);
      await waitFor(() => receiver.got(path).length >= 60 && cut.deliveries > 0, { timeoutMs: 20_000 });
      relay.cut();
      const beforeCut = cut.deliveries;
      await publishing;
      await waitFor(() => [...arrivals(path).values()].reduce((n, seqs) => n + new Set(seqs).size, 0) >= ids.length * perCall, { timeoutMs: 30_000 });
      await sleep(500);
      const got = arrivals(path);
      for (const id of ids) expect(firstCopies(got.get(id) ?? [])).toEqual(oneTo(perCall));
      // The rest went out through the other workers: the cut one could at most finish what it had in hand.
      expect(cut.deliveries - beforeCut).toBeLessThan(ids.length * perCall - beforeCut);
    } finally {
      await relay.close();
    }
  });

  it('holds a call\'s later events behind a failing one while it retries in place', async () => {
    const path = '/hold';
    receiver.on(path, (n) => (n === 2 ? 503 : 200));
    await scratch.directory.webhooks.create(acct.id, { name: 'hold', uri: receiver.url(path), hook: 'all', format: 'json', retries: 4 });
    await startWorker('h1', { ...base, orderHoldMs: 1000 });
    await startWorker('h2', { ...base, orderHoldMs: 1000 });
    const id = callId();
    for (let n = 1; n <= 5; n++) await publishEvent(id, n, 5);
    await waitFor(() => receiver.got(path).length >= 6, { timeoutMs: 10_000 });
    await sleep(300);
    expect(arrivals(path).get(id)).toEqual([1, 2, 2, 3, 4, 5]);
  });

  it('lets later events pass a retry due after orderHoldMs; it arrives with its event_sequence for the receiver to order', async () => {
    const path = '/pass';
    // The second event fails twice: its first retry (100 ms) is held in place, its second (1.5 s more) would pass 250 ms.
    receiver.on(path, (n) => (n === 2 || n === 3 ? 503 : 200));
    await scratch.directory.webhooks.create(acct.id, { name: 'pass', uri: receiver.url(path), hook: 'all', format: 'json', retries: 4 });
    await startWorker('p1', { ...base, retryTiersMs: [100, 1500], orderHoldMs: 250 });
    const id = callId();
    for (let n = 1; n <= 5; n++) await publishEvent(id, n, 5);
    await waitFor(() => receiver.got(path).length >= 7, { timeoutMs: 10_000 });
    await sleep(300);
    const seqs = arrivals(path).get(id) ?? [];
    expect(seqs).toEqual([1, 2, 2, 3, 4, 5, 2]);
    expect([...new Set(seqs)].sort((a, b) => a - b)).toEqual(oneTo(5));
  });

  it('refuses a partition count out of range, naming the field', () => {
    expect(() => new WebhookWorker({ bus, directory: scratch.directory, config: { partitions: 0 }, appName: 'webhooks', appVersion: '0.1.0' })).toThrow(
      expect.objectContaining({ code: 'invalid_config', details: expect.objectContaining({ field: 'partitions' }) }),
    );
  });
});
