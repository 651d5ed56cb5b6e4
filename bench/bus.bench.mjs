// Bus throughput against a real RabbitMQ (AMQP_URL): request/reply and collect round trips,
// and publish-with-confirm, each bounded in count and in time. Uses the built @legwork/bus.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
// The lib is CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkBus from '@legwork/bus';
import { AMQP_URL, N, sleep } from './lib/env.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile } from './lib/stats.mjs';

const { createBus } = legworkBus;

export const name = 'bus';
export const description = 'request/collect round trips and confirmed publishes over RabbitMQ';

const CFG = {
  requests: N('BENCH_BUS_REQUESTS', 20_000),
  requestConcurrency: N('BENCH_BUS_REQUEST_CONCURRENCY', 200),
  collects: N('BENCH_BUS_COLLECTS', 5_000),
  publishes: N('BENCH_BUS_PUBLISHES', 50_000),
  publishWindow: N('BENCH_BUS_PUBLISH_WINDOW', 500),
  phaseLimitMs: N('BENCH_BUS_PHASE_LIMIT_MS', 60_000),
};

const Req = z.object({ 'Server-ID': z.string(), 'Msg-ID': z.string() });
const Resp = z.object({ 'Msg-ID': z.string(), n: z.number() });

/** Runs `total` jobs with at most `concurrency` in flight, stopping early past `limitMs`. */
async function pool(total, concurrency, limitMs, job) {
  const latencies = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total && performance.now() - started < limitMs) {
      const i = next++;
      const t0 = performance.now();
      try {
        await job(i);
        latencies.push(performance.now() - t0);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p) => percentile(latencies, p, 0);
  return { done: latencies.length, failed, elapsedMs, rate: (latencies.length / elapsedMs) * 1000, p50: pct(50), p99: pct(99) };
}

const row = (metric, r, unit, extra) => ({
  metric, value: Math.round(r.rate), unit, done: r.done, failed: r.failed, seconds: (r.elapsedMs / 1000).toFixed(2),
  p50ms: r.p50.toFixed(2), p99ms: r.p99.toFixed(2), ...extra,
});

export async function run({ log }) {
  const namespace = `bench${randomBytes(4).toString('hex')}`;
  const mk = (appName, nodeId) => createBus({ url: AMQP_URL, appName, nodeId, namespace, prefetch: 500 });
  const client = mk('bench-client', 'c1');
  const responders = [mk('bench-server', 's1'), mk('bench-server', 's2')];
  const all = [client, ...responders];
  const queues = ['rpc', 'sink', 'fan-s1', 'fan-s2'];
  const rows = [];
  try {
    await Promise.all(all.map((b) => b.start()));
    await responders[0].declareQueue('rpc', { bindings: [{ exchange: 'callmgr', routingKey: 'bench.req' }] });
    for (const [i, r] of responders.entries()) {
      const reply = (n) => async (req) => r.publish('targeted', req['Server-ID'], { 'Msg-ID': req['Msg-ID'], n }, { mandatory: false });
      await r.consume('rpc', Req, reply(i), { prefetch: 500 });
      await r.declareQueue(`fan-s${i + 1}`, { bindings: [{ exchange: 'callmgr', routingKey: 'bench.collect' }] });
      await r.consume(`fan-s${i + 1}`, Req, reply(i), { prefetch: 500 });
    }

    log('warm-up');
    await pool(500, 50, CFG.phaseLimitMs, () => client.request('callmgr', 'bench.req', {}, { timeoutMs: 10_000, schema: Resp }));

    log(`request/reply: ${CFG.requests} requests, concurrency ${CFG.requestConcurrency}`);
    const req = await pool(CFG.requests, CFG.requestConcurrency, CFG.phaseLimitMs, () =>
      client.request('callmgr', 'bench.req', {}, { timeoutMs: 10_000, schema: Resp }));
    rows.push(row('request/reply', req, 'round trips/s', { concurrency: CFG.requestConcurrency }));

    log(`collect from 2 responders: ${CFG.collects} collects, concurrency ${CFG.requestConcurrency}`);
    const col = await pool(CFG.collects, CFG.requestConcurrency, CFG.phaseLimitMs, () =>
      client.collect('callmgr', 'bench.collect', {}, { timeoutMs: 10_000, schema: Resp, until: (r) => r.length >= 2 }));
    rows.push(row('collect (2 replies)', col, 'collects/s', { concurrency: CFG.requestConcurrency }));

    await client.declareQueue('sink', { bindings: [{ exchange: 'callevt', routingKey: 'bench.sink' }] });
    let consumed = 0;
    await responders[0].consume('sink', z.object({ i: z.number() }), async () => void consumed++, { prefetch: 1000 });
    log(`publish with confirm: ${CFG.publishes} persistent messages, window ${CFG.publishWindow}`);
    const body = { 'Event-Name': 'CHANNEL_CREATE', 'Call-ID': 'bench', i: 0 };
    const pub = await pool(CFG.publishes, CFG.publishWindow, CFG.phaseLimitMs, (i) => client.publish('callevt', 'bench.sink', { ...body, i }));
    rows.push(row('publish+confirm', pub, 'msgs/s', { window: CFG.publishWindow }));
    const drainStart = performance.now();
    while (consumed < pub.done && performance.now() - drainStart < CFG.phaseLimitMs) await sleep(10);
    rows.push({ metric: 'consumed end to end', value: Math.round((consumed / (pub.elapsedMs + performance.now() - drainStart)) * 1000), unit: 'msgs/s', done: consumed });
  } finally {
    await Promise.allSettled(all.map((b) => b.close()));
    await cleanupRun({ namespace, queues });
  }
  return { rows, meta: { amqpUrl: AMQP_URL.replace(/\/\/[^@]*@/, '//***@'), ...CFG } };
}
