/* global Buffer */
// Webhook delivery against real RabbitMQ + Redis: deliveries/s to a local receiver, and latency
// from a CHANNEL_ANSWER publish to its receipt (p50/p99). Uses the built libs.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import legworkBus from '@legwork/bus';
import legworkContracts from '@legwork/contracts';
import legworkDirectory from '@legwork/directory';
import { AMQP_URL, N, REDIS_URL, benchSecretKeys, sleep } from './lib/env.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile } from './lib/stats.mjs';

// Linked by npm install; the built dist otherwise (a fresh checkout before `npm install`).
const delivery = (await import('@legwork/webhook-delivery').catch(() => import('../libs/webhook-delivery/dist/index.js'))).default;
const { createBus } = legworkBus;
const { buildMessage, callEvents } = legworkContracts;
const { createDirectory } = legworkDirectory;
const { WebhookWorker, WEBHOOK_TOPOLOGY, retryQueueName, DEFAULT_RETRY_TIERS_MS } = delivery;

export const name = 'webhooks';
export const description = 'webhook deliveries/s to a local receiver; CHANNEL_ANSWER publish → receipt latency';

const CFG = { events: N('BENCH_WEBHOOK_EVENTS', 5_000), latencySamples: N('BENCH_WEBHOOK_LATENCY_SAMPLES', 300), limitMs: N('BENCH_WEBHOOK_LIMIT_MS', 60_000) };

const answer = (accountId, i) =>
  buildMessage(callEvents.CHANNEL_ANSWER, { 'Call-ID': `bench-${i}`, 'Custom-Channel-Vars': { 'Account-ID': accountId } }, { 'App-Name': 'bench', 'App-Version': '0' });

export async function run({ log }) {
  const namespace = `benchwh${randomBytes(4).toString('hex')}`;
  const prefix = `benchwh:${randomBytes(6).toString('hex')}:`;
  const sent = new Map();
  const latencies = [];
  let received = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received++;
      const callId = JSON.parse(Buffer.concat(chunks).toString()).call_id;
      const t0 = sent.get(callId);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const directory = createDirectory({ url: REDIS_URL, prefix, secretKeys: benchSecretKeys() });
  const bus = createBus({ url: AMQP_URL, appName: 'bench', nodeId: 'bench-pub', namespace, prefetch: 500 });
  const workerBus = createBus({ url: AMQP_URL, appName: 'bench', nodeId: 'bench-worker', namespace, prefetch: 500 });
  const rows = [];
  let worker;
  try {
    await bus.start();
    await workerBus.start();
    worker = new WebhookWorker({ bus: workerBus, directory, appName: 'webhooks', appVersion: '0.1.0', config: { allowedHosts: ['127.0.0.1'], concurrency: 64 } });
    await worker.start();
    const acct = await directory.accounts.create({ name: 'bench', realm: 'bench.local' });
    // JSON bodies, which the receiver reads (form-data is Kazoo's default).
    await directory.webhooks.create(acct.id, { name: 'bench', uri: `http://127.0.0.1:${server.address().port}/h`, hook: 'channel_answer', format: 'json' });
    const wait = async (n) => {
      const start = performance.now();
      while (received < n && performance.now() - start < CFG.limitMs) await sleep(5);
    };

    log(`throughput: ${CFG.events} events published at once`);
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
  } finally {
    await worker?.stop();
    await Promise.allSettled([bus.close(), workerBus.close(), directory.close()]);
    server.close();
    await cleanupRun({ namespace, prefix, queues: [WEBHOOK_TOPOLOGY.eventQueue, WEBHOOK_TOPOLOGY.deliverQueue, WEBHOOK_TOPOLOGY.deadQueue, ...DEFAULT_RETRY_TIERS_MS.map(retryQueueName)], exchanges: [WEBHOOK_TOPOLOGY.exchange] });
  }
  return { rows, meta: { amqpUrl: AMQP_URL.replace(/\/\/[^@]*@/, '//***@'), ...CFG } };
}
