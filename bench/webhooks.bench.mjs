/* global Buffer, process, setTimeout, URL */
// Webhook delivery against real RabbitMQ + Redis: deliveries/s to a local receiver with one worker in
// this process, and with several workers each in a process of its own (many calls of many events each,
// checking every call's events arrive in event_sequence order, none lost); latency from a CHANNEL_ANSWER
// publish to its receipt (p50/p99). Uses the built libs.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import legworkBus from '@legwork/bus';
import legworkContracts from '@legwork/contracts';
import legworkDirectory from '@legwork/directory';
import { AMQP_URL, N, REDIS_URL, benchSecretKeys, inheritedEnv, sleep } from './lib/env.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile } from './lib/stats.mjs';

// Linked by npm install; the built dist otherwise (a fresh checkout before `npm install`).
const delivery = (await import('@legwork/webhook-delivery').catch(() => import('../libs/webhook-delivery/dist/index.js'))).default;
const { createBus } = legworkBus;
const { buildMessage, callEvents } = legworkContracts;
const { createDirectory } = legworkDirectory;
const { WebhookWorker, WEBHOOK_TOPOLOGY, DEFAULT_RETRY_TIERS_MS, webhookQueueNames } = delivery;

export const name = 'webhooks';
export const description = 'webhook deliveries/s to a local receiver (1 worker; N worker processes, per-call order checked); CHANNEL_ANSWER publish → receipt latency';

const CFG = {
  events: N('BENCH_WEBHOOK_EVENTS', 5_000),
  latencySamples: N('BENCH_WEBHOOK_LATENCY_SAMPLES', 300),
  limitMs: N('BENCH_WEBHOOK_LIMIT_MS', 60_000),
  /** Worker processes per multi-worker run, comma-separated: one run each. */
  workerCounts: (process.env.BENCH_WEBHOOK_WORKERS ?? '2,3').split(',').map(Number).filter((n) => n > 0),
  calls: N('BENCH_WEBHOOK_CALLS', 500),
  eventsPerCall: N('BENCH_WEBHOOK_EVENTS_PER_CALL', 10),
  partitions: N('BENCH_WEBHOOK_PARTITIONS', 16),
  concurrency: N('BENCH_WEBHOOK_CONCURRENCY', 64),
};
const CHILD = fileURLToPath(new URL('./lib/webhook-worker.child.mjs', import.meta.url));
const destroyFields = { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 5, 'Billing-Seconds': 4, 'Ringing-Seconds': 1 };

/** Event n (1-based) of a call of `total`: create, answer, hold/unhold, destroy last, each numbered. */
function callEvent(accountId, callId, n, total) {
  const name = n === 1 ? 'CHANNEL_CREATE' : n === 2 ? 'CHANNEL_ANSWER' : n === total ? 'CHANNEL_DESTROY' : n % 2 === 0 ? 'CHANNEL_UNHOLD' : 'CHANNEL_HOLD';
  const fields = { 'Call-ID': callId, 'Origination-Call-ID': callId, 'Event-Sequence': n, 'Custom-Channel-Vars': { 'Account-ID': accountId }, ...(name === 'CHANNEL_DESTROY' ? destroyFields : {}) };
  return { name, msg: buildMessage(callEvents[name], fields, { 'App-Name': 'bench', 'App-Version': '0' }) };
}

/** Starts a worker process and resolves once it consumes. */
function startChild(env) {
  const proc = fork(CHILD, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    proc.once('message', (m) => (m?.ready ? resolve() : reject(new Error('worker did not start'))));
    proc.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      proc.on('message', (m) => m?.stopped && resolve({ deliveries: m.deliveries, cpuMs: m.cpuMs }));
      proc.send({ stop: true });
      setTimeout(() => (proc.kill('SIGKILL'), resolve(undefined)), 20_000).unref();
    });
  return { proc, ready, stop };
}

const answer = (accountId, i) =>
  buildMessage(callEvents.CHANNEL_ANSWER, { 'Call-ID': `bench-${i}`, 'Custom-Channel-Vars': { 'Account-ID': accountId } }, { 'App-Name': 'bench', 'App-Version': '0' });

export async function run({ log }) {
  // The 1-minute load average around the run: these figures mean little on a machine busy with other work.
  const loadBefore = loadavg()[0];
  const namespace = `bench-wh-${randomBytes(4).toString('hex')}`;
  const prefix = `benchwh:${randomBytes(6).toString('hex')}:`;
  const sent = new Map();
  const latencies = [];
  /** Per call, the event_sequence of every request in arrival order (the multi-worker runs' calls). */
  const arrivals = new Map();
  let received = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received++;
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const t0 = sent.get(body.call_id);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
      if (body.event_sequence !== undefined) arrivals.set(body.origination_call_id, [...(arrivals.get(body.origination_call_id) ?? []), body.event_sequence]);
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const secretKeys = benchSecretKeys();
  const directory = createDirectory({ url: REDIS_URL, prefix, secretKeys });
  const bus = createBus({ url: AMQP_URL, appName: 'bench', nodeId: 'bench-pub', namespace, prefetch: 500 });
  const workerBus = createBus({ url: AMQP_URL, appName: 'bench', nodeId: 'bench-worker', namespace, prefetch: 500 });
  const rows = [];
  let worker;
  try {
    await bus.start();
    await workerBus.start();
    worker = new WebhookWorker({ bus: workerBus, directory, appName: 'webhooks', appVersion: '0.1.0', config: { allowedHosts: ['127.0.0.1'], concurrency: CFG.concurrency, partitions: CFG.partitions } });
    await worker.start();
    const acct = await directory.accounts.create({ name: 'bench', realm: 'bench.local' });
    // JSON bodies, which the receiver reads (form-data is Kazoo's default).
    await directory.webhooks.create(acct.id, { name: 'bench', uri: `http://127.0.0.1:${server.address().port}/h`, hook: 'channel_answer', format: 'json' });
    const wait = async (n) => {
      const start = performance.now();
      while (received < n && performance.now() - start < CFG.limitMs) await sleep(5);
    };

    log(`throughput, 1 worker in this process: ${CFG.events} events published at once`);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CFG.events }, (_, i) => bus.publish('callevt', `call.CHANNEL_ANSWER.bench-${i}`, answer(acct.id, i), { mandatory: false })));
    await wait(CFG.events);
    const elapsed = performance.now() - t0;
    rows.push({ metric: 'deliveries (1 worker, 1 hook)', value: Math.round((received / elapsed) * 1000), unit: 'deliveries/s', done: received });

    log(`latency: ${CFG.latencySamples} CHANNEL_ANSWER one at a time`);
    received = 0;
    for (let i = 0; i < CFG.latencySamples; i++) {
      const callId = `lat-${i}`;
      sent.set(callId, performance.now());
      await bus.publish('callevt', `call.CHANNEL_ANSWER.${callId}`, { ...answer(acct.id, i), 'Call-ID': callId }, { mandatory: false });
      await wait(i + 1);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p) => Number(percentile(latencies, p).toFixed(2));
    rows.push({ metric: 'CHANNEL_ANSWER publish → receipt p50', value: pct(50), unit: 'ms', done: latencies.length });
    rows.push({ metric: 'CHANNEL_ANSWER publish → receipt p99', value: pct(99), unit: 'ms', done: latencies.length });
    await worker.stop();
    worker = undefined;

    const ordered = await directory.accounts.create({ name: 'bench-ordered', realm: 'bench-ordered.local' });
    await directory.webhooks.create(ordered.id, { name: 'bench-all', uri: `http://127.0.0.1:${server.address().port}/all`, hook: 'all', format: 'json' });
    const childEnv = { ...inheritedEnv(), AMQP_URL, REDIS_URL, LEGWORK_SECRET_KEYS: secretKeys, BENCH_PREFIX: prefix, BENCH_NAMESPACE: namespace, BENCH_PARTITIONS: String(CFG.partitions), BENCH_CONCURRENCY: String(CFG.concurrency) };
    for (const [run, count] of CFG.workerCounts.entries()) {
      log(`${count} worker processes: ${CFG.calls} calls × ${CFG.eventsPerCall} events, published a round (event n of every call) at a time`);
      const children = Array.from({ length: count }, (_, i) => startChild({ ...childEnv, BENCH_NODE: `bench-w${run}-${i}` }));
      await Promise.all(children.map((c) => c.ready));
      received = 0;
      arrivals.clear();
      const ids = Array.from({ length: CFG.calls }, (_, i) => `ord-${run}-${i}`);
      const total = ids.length * CFG.eventsPerCall;
      const t1 = performance.now();
      const benchCpu0 = process.cpuUsage();
      for (let n = 1; n <= CFG.eventsPerCall; n++) {
        await Promise.all(ids.map((id) => {
          const { name: ev, msg } = callEvent(ordered.id, id, n, CFG.eventsPerCall);
          return bus.publish('callevt', `call.${ev}.${id}`, msg, { mandatory: false });
        }));
      }
      const publishedMs = Math.round(performance.now() - t1);
      await wait(total);
      const took = performance.now() - t1;
      const benchCpu = process.cpuUsage(benchCpu0);
      const perWorker = await Promise.all(children.map((c) => c.stop()));
      const workerCpuMs = perWorker.reduce((sum, w) => sum + (w?.cpuMs ?? 0), 0);
      let inOrder = 0;
      let unique = 0;
      for (const id of ids) {
        const seqs = arrivals.get(id) ?? [];
        const first = seqs.filter((x, i) => seqs.indexOf(x) === i);
        unique += first.length;
        if (first.length === CFG.eventsPerCall && first.every((x, i) => x === i + 1)) inOrder++;
      }
      rows.push({
        metric: `deliveries (${count} worker processes, 1 hook, ${CFG.partitions} partitions)`,
        value: Math.round((received / took) * 1000),
        unit: 'deliveries/s',
        done: received,
        orderHeld: inOrder === ids.length,
        callsInOrder: `${inOrder}/${ids.length}`,
        lost: total - unique,
        repeats: received - unique,
        perWorker: perWorker.map((w) => w?.deliveries ?? '?').join('/'),
        // The worker that fans events out (one at a time, the event queue being single-active) spends more.
        perWorkerCpuMs: perWorker.map((w) => w?.cpuMs ?? '?').join('/'),
        // Load-independent: the workers' CPU time per delivery (and what that is on one free core).
        workerCpuMsPerDelivery: Number((workerCpuMs / received).toFixed(3)),
        perFreeCore: Math.round(received / (workerCpuMs / 1000)),
        // Whether the bench itself is the limit: when its publishing ended, and its CPU (publisher and receiver).
        publishedMs,
        benchCpuMs: Math.round((benchCpu.user + benchCpu.system) / 1000),
      });
    }
  } finally {
    await worker?.stop();
    await Promise.allSettled([bus.close(), workerBus.close(), directory.close()]);
    server.close();
    await cleanupRun({ namespace, prefix, queues: webhookQueueNames(DEFAULT_RETRY_TIERS_MS, CFG.partitions), exchanges: [WEBHOOK_TOPOLOGY.exchange] });
  }
  const load = `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
  return { rows, meta: { amqpUrl: AMQP_URL.replace(/\/\/[^@]*@/, '//***@'), ...CFG, workerCounts: CFG.workerCounts.join(','), loadAverage1m: load } };
}
