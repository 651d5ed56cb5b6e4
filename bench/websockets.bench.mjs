/* global process, setTimeout, URL */
// Websocket fan-out against real RabbitMQ and Redis: event-stream servers in processes of their own (as websockets
// instances run), 1,000 blackhole listeners in this one, all subscribed to one account. Figures: messages/s delivered
// to all of them, CHANNEL_ANSWER publish→receipt latency at a fixed event rate, and the servers' CPU time per
// delivered message (process.cpuUsage, which a busy machine disturbs far less than the rates).
// BENCH_WS_CPU_PROF=<dir> runs the servers under --cpu-prof and writes their profiles there.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkBus from '@legwork/bus';
import legworkContracts from '@legwork/contracts';
import legworkDirectory from '@legwork/directory';
import { AMQP_URL, N, REDIS_URL, benchSecretKeys, env, inheritedEnv, sleep } from './lib/env.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile } from './lib/stats.mjs';

const { createBus } = legworkBus;
const { buildMessage, callEvents, envelope } = legworkContracts;
const { createDirectory } = legworkDirectory;

export const name = 'websockets';
export const description = 'blackhole fan-out to 1,000 sockets, CHANNEL_ANSWER publish-to-receipt latency at 50 events/s, server CPU per message';

const CHILD = fileURLToPath(new URL('./lib/websockets-server.child.mjs', import.meta.url));
const SENT_AT = 'bench-sent-at';
const CFG = {
  listeners: N('BENCH_WS_LISTENERS', 1000),
  servers: N('BENCH_WS_SERVERS', 2),
  fanoutEvents: N('BENCH_WS_FANOUT_EVENTS', 200),
  publishWindow: N('BENCH_WS_PUBLISH_WINDOW', 10),
  latencyEvents: N('BENCH_WS_LATENCY_EVENTS', 250),
  latencyRate: N('BENCH_WS_LATENCY_RATE', 50),
  phaseLimitMs: N('BENCH_WS_PHASE_LIMIT_MS', 60_000),
  cpuProf: env('BENCH_WS_CPU_PROF', ''),
};

const pct = (sorted, p) => Number(percentile(sorted, p, 0).toFixed(2));
const epochMs = () => performance.timeOrigin + performance.now();

/** Sends `msg` to a server process and resolves with its first answer that has `key`. */
function ask(proc, msg, key) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (m?.[key] === undefined) return;
      proc.off('message', on);
      resolve(m[key]);
    };
    proc.on('message', on);
    proc.send(msg);
  });
}

function startServer(childEnv) {
  const execArgv = CFG.cpuProf !== '' ? ['--cpu-prof', '--cpu-prof-dir', CFG.cpuProf] : [];
  const proc = fork(CHILD, [], { env: childEnv, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    proc.once('message', (m) => (m?.ready ? resolve(m.url) : reject(new Error('server did not start'))));
    proc.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      proc.once('exit', resolve);
      proc.send({ stop: true });
      setTimeout(() => proc.kill('SIGKILL'), 20_000).unref();
    });
  return { proc, ready, stop };
}

/** Every server's CPU µs since it was ready, summed, and this process's. */
async function cpuNow(servers) {
  const each = await Promise.all(servers.map((s) => ask(s.proc, { cpu: true }, 'cpuUs')));
  const own = process.cpuUsage();
  return { servers: each.reduce((a, b) => a + b, 0), bench: own.user + own.system, at: performance.now() };
}

function cpuRows(phase, before, after, delivered) {
  const wallS = (after.at - before.at) / 1000;
  const usPer = (us) => Number((us / Math.max(1, delivered)).toFixed(2));
  const share = (us) => `${Math.round((us / 1e6 / wallS) * 100)}%`;
  const srv = after.servers - before.servers;
  const bench = after.bench - before.bench;
  return [
    { metric: `${phase}: websockets CPU per delivered message`, value: usPer(srv), unit: 'µs', cpu: share(srv), servers: CFG.servers },
    { metric: `${phase}: listeners' (bench process) CPU per message`, value: usPer(bench), unit: 'µs', cpu: share(bench) },
  ];
}

function listen(url) {
  const ws = new WebSocket(url);
  const client = { ws, received: 0, onEvent: () => undefined, pending: new Map() };
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.action === 'event') {
      client.received++;
      client.onEvent(frame);
    } else client.pending.get(frame.request_id)?.(frame);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

function request(client, frame) {
  const id = randomBytes(4).toString('hex');
  return new Promise((resolve) => {
    client.pending.set(id, resolve);
    client.ws.send(JSON.stringify({ ...frame, request_id: id }));
  });
}

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const namespace = `benchws${tag}`;
  const prefix = `benchws${tag}:`;
  const secretKeys = benchSecretKeys();
  const publisher = createBus({ url: AMQP_URL, appName: 'bench-media', nodeId: 'pub', namespace });
  const directory = createDirectory({ url: REDIS_URL, prefix, secretKeys });
  const servers = [];
  const clients = [];
  const rows = [];
  const load = { before: loadavg()[0] };
  try {
    await publisher.start();
    const childEnv = { ...inheritedEnv(), AMQP_URL, REDIS_URL, LEGWORK_SECRET_KEYS: secretKeys, BENCH_PREFIX: prefix, BENCH_NAMESPACE: namespace, BENCH_MAX_CONNECTIONS: String(CFG.listeners) };
    for (let i = 0; i < CFG.servers; i++) servers.push(startServer({ ...childEnv, BENCH_NODE: `ws${i}` }));
    const urls = await Promise.all(servers.map((s) => s.ready));
    const acct = await directory.accounts.create({ name: `bench-${tag}`, realm: `bench-${tag}.legwork.test` });
    const token = await directory.credentials.issueToken({ accountId: acct.id, method: 'api_key' });

    log(`connecting and subscribing ${CFG.listeners} listeners over ${CFG.servers} server processes`);
    const t0 = performance.now();
    for (let i = 0; i < CFG.listeners; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, CFG.listeners - i) }, (_, j) => listen(urls[(i + j) % urls.length])));
      await Promise.all(batch.map((c) => request(c, { action: 'subscribe', auth_token: token, data: { account_id: acct.id, binding: 'call.*.*' } })));
      clients.push(...batch);
    }
    rows.push({ metric: 'connect+subscribe', value: Math.round((clients.length / (performance.now() - t0)) * 1000), unit: 'sockets/s', sockets: clients.length });

    const publish = (eventName, callId, opts = {}) => {
      const def = callEvents[eventName];
      const msg = buildMessage(def, { 'Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': acct.id } }, envelope('bench', '0.1.0'));
      // A confirm comes once the broker routed the event to every queue bound: slow with one queue per socket.
      return publisher.publish(def.exchange, def.routingKey(msg), msg, { mandatory: false, timeoutMs: CFG.phaseLimitMs, ...opts });
    };
    const total = () => clients.reduce((n, c) => n + c.received, 0);

    log(`fan-out: ${CFG.fanoutEvents} events to ${clients.length} listeners`);
    const expected = CFG.fanoutEvents * clients.length;
    const cpuFan = await cpuNow(servers);
    const start = performance.now();
    // A bounded publish window: each event becomes one frame per listener.
    for (let i = 0; i < CFG.fanoutEvents; i += CFG.publishWindow) {
      // CHANNEL_CREATE, one of the events `call.*.*` covers (Kazoo's set; CHANNEL_PROGRESS is not).
      await Promise.all(Array.from({ length: Math.min(CFG.publishWindow, CFG.fanoutEvents - i) }, (_, j) => publish('CHANNEL_CREATE', `fan-${i + j}`)));
    }
    while (total() < expected && performance.now() - start < CFG.phaseLimitMs) await sleep(5);
    const fanMs = performance.now() - start;
    const fanDelivered = total();
    rows.push({ metric: `fan-out delivered to ${clients.length} listeners`, value: Math.round((fanDelivered / fanMs) * 1000), unit: 'msgs/s', delivered: fanDelivered, expected, seconds: (fanMs / 1000).toFixed(2) });
    rows.push(...cpuRows('fan-out', cpuFan, await cpuNow(servers), fanDelivered));

    const gapMs = 1000 / CFG.latencyRate;
    log(`latency: ${CFG.latencyEvents} CHANNEL_ANSWER events at ${CFG.latencyRate}/s`);
    const latencies = [];
    const sentAt = new Map();
    for (const c of clients) c.onEvent = (f) => f.name === 'CHANNEL_ANSWER' && latencies.push(performance.now() - sentAt.get(f.data.call_id));
    await Promise.all(servers.map((s) => ask(s.proc, { probe: true }, 'probe')));
    await Promise.all(servers.map((s) => ask(s.proc, { loop: true }, 'loop')));
    const ownLoop = monitorEventLoopDelay({ resolution: 5 });
    ownLoop.enable();
    const before = total();
    const cpuLat = await cpuNow(servers);
    const latStart = performance.now();
    const confirms = [];
    // A fixed schedule (not publish, wait, publish): a slow confirm must not lower the rate offered.
    for (let i = 0; i < CFG.latencyEvents; i++) {
      const due = latStart + i * gapMs;
      while (performance.now() < due - 1) await sleep(Math.max(0, due - performance.now() - 1));
      sentAt.set(`lat-${i}`, performance.now());
      confirms.push(publish('CHANNEL_ANSWER', `lat-${i}`, { headers: { [SENT_AT]: epochMs() } }));
    }
    const offeredRate = (CFG.latencyEvents / ((performance.now() - latStart) / 1000)).toFixed(1);
    await Promise.all(confirms);
    while (latencies.length < CFG.latencyEvents * clients.length && performance.now() - latStart < CFG.phaseLimitMs) await sleep(5);
    const cpuLatEnd = await cpuNow(servers);
    ownLoop.disable();
    const broker = (await Promise.all(servers.map((s) => ask(s.proc, { probe: true }, 'probe')))).flat().sort((a, b) => a - b);
    const loops = await Promise.all(servers.map((s) => ask(s.proc, { loop: true }, 'loop')));
    latencies.sort((a, b) => a - b);
    const at = `at ${CFG.latencyRate} events/s`;
    rows.push({ metric: `CHANNEL_ANSWER publish→receipt p50 ${at}`, value: pct(latencies, 50), unit: 'ms', samples: latencies.length, offered: `${offeredRate}/s` });
    rows.push({ metric: `CHANNEL_ANSWER publish→receipt p99 ${at}`, value: pct(latencies, 99), unit: 'ms', samples: latencies.length });
    rows.push({ metric: `publish→websockets process (broker hop) p50 / p99 ${at}`, value: pct(broker, 50), unit: 'ms', p99: pct(broker, 99), samples: broker.length });
    rows.push(...cpuRows(`latency ${at}`, cpuLat, cpuLatEnd, total() - before));
    // Time a ready callback waited for its process (the CPU busy elsewhere, or the process's own work).
    const ms = (ns) => Number((ns / 1e6).toFixed(1));
    rows.push({ metric: `event-loop delay of the listeners' process p50 / p99 ${at}`, value: ms(ownLoop.percentile(50)), unit: 'ms', p99: ms(ownLoop.percentile(99)) });
    rows.push({ metric: `event-loop delay of the websockets processes p50 / p99 ${at}`, value: Number(Math.max(...loops.map((l) => l.p50)).toFixed(1)), unit: 'ms', p99: Number(Math.max(...loops.map((l) => l.p99)).toFixed(1)), of: 'the worse server' });
  } finally {
    for (const c of clients) c.ws.terminate();
    await Promise.all(servers.map((s) => s.stop()));
    await publisher.close();
    await directory.close();
    await cleanupRun({ namespace, prefix });
  }
  load.after = loadavg()[0];
  return { rows, meta: { amqpUrl: AMQP_URL.replace(/\/\/[^@]*@/, '//***@'), loadavg1: load, ...CFG } };
}
