/* global process, setTimeout, URL */
// Websocket fan-out against real RabbitMQ and Redis: event-stream servers in processes of their own (as websockets
// instances run), 1,000 blackhole listeners in processes of their own too, all subscribed to one account, and this
// process publishing (as a media node does). Figures: messages/s delivered to all of them, CHANNEL_ANSWER
// publish→receipt latency at a fixed event rate, where that time goes (broker hop, event-loop delays), and CPU time
// per delivered message (process.cpuUsage, which a busy machine disturbs far less than the rates).
// BENCH_WS_CPU_PROF=<dir> runs the servers under --cpu-prof and writes their profiles there.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
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
export const description = 'blackhole fan-out to 1,000 sockets, CHANNEL_ANSWER publish-to-receipt latency at 50 events/s, CPU per message';

const SERVER = fileURLToPath(new URL('./lib/websockets-server.child.mjs', import.meta.url));
const LISTENERS = fileURLToPath(new URL('./lib/websockets-listeners.child.mjs', import.meta.url));
const SENT_AT = 'bench-sent-at';
const CFG = {
  listeners: N('BENCH_WS_LISTENERS', 1000),
  listenerProcesses: N('BENCH_WS_LISTENER_PROCESSES', 2),
  servers: N('BENCH_WS_SERVERS', 2),
  fanoutEvents: N('BENCH_WS_FANOUT_EVENTS', 200),
  publishWindow: N('BENCH_WS_PUBLISH_WINDOW', 10),
  latencyEvents: N('BENCH_WS_LATENCY_EVENTS', 250),
  latencyRate: N('BENCH_WS_LATENCY_RATE', 50),
  idleEvents: N('BENCH_WS_IDLE_EVENTS', 100),
  phaseLimitMs: N('BENCH_WS_PHASE_LIMIT_MS', 60_000),
  cpuProf: env('BENCH_WS_CPU_PROF', ''),
};

const pct = (sorted, p) => Number(percentile(sorted, p, 0).toFixed(2));
const epochMs = () => performance.timeOrigin + performance.now();
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** Sends `msg` to a child and resolves with its first answer that has `key`. */
function ask(child, msg, key) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (m?.[key] === undefined) return;
      child.proc.off('message', on);
      resolve(m[key]);
    };
    child.proc.on('message', on);
    child.proc.send(msg);
  });
}

const askAll = (children, msg, key) => Promise.all(children.map((c) => ask(c, msg, key)));

/** A child process that reports {ready} once it serves (a server: with its url) and exits when told to stop. */
function start(file, childEnv, execArgv = []) {
  const proc = fork(file, [], { env: childEnv, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    proc.once('message', (m) => (m?.ready ? resolve(m.url) : reject(new Error(`${file} did not start`))));
    proc.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', resolve);
      proc.send({ stop: true });
      setTimeout(() => proc.kill('SIGKILL'), 20_000).unref();
    });
  return { proc, ready, stop };
}

/** CPU µs since ready: the servers' summed, the listeners' summed, and this (publishing) process's. */
async function cpuNow(servers, listeners) {
  const [srv, lst] = await Promise.all([askAll(servers, { cpu: true }, 'cpuUs'), askAll(listeners, { cpu: true }, 'cpuUs')]);
  const own = process.cpuUsage();
  return { servers: sum(srv), listeners: sum(lst), publisher: own.user + own.system, at: performance.now() };
}

function cpuRows(phase, before, after, delivered) {
  const wallS = (after.at - before.at) / 1000;
  const usPer = (us) => Number((us / Math.max(1, delivered)).toFixed(2));
  const share = (us) => `${Math.round((us / 1e6 / wallS) * 100)}%`;
  const d = (k) => after[k] - before[k];
  return [
    { metric: `${phase}: websockets CPU per delivered message`, value: usPer(d('servers')), unit: 'µs', cpu: share(d('servers')), processes: CFG.servers },
    { metric: `${phase}: listeners' CPU per received message`, value: usPer(d('listeners')), unit: 'µs', cpu: share(d('listeners')), processes: CFG.listenerProcesses },
    { metric: `${phase}: publisher CPU`, value: Number((d('publisher') / 1000).toFixed(0)), unit: 'ms', cpu: share(d('publisher')) },
  ];
}

/**
 * Publishes `count` CHANNEL_ANSWER events `<prefix>-<i>` on a fixed schedule, `gapMs` apart (not publish, wait,
 * publish: a slow confirm must not lower the rate offered); resolves once all are confirmed, with their publish times
 * (epoch ms), each one's publish→confirm ms and the rate actually offered.
 */
async function onSchedule(publish, prefix, count, gapMs) {
  const sentAt = new Float64Array(count);
  const confirmMs = new Float64Array(count);
  const confirms = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + i * gapMs;
    while (performance.now() < due - 1) await sleep(Math.max(0, due - performance.now() - 1));
    sentAt[i] = epochMs();
    confirms.push(publish('CHANNEL_ANSWER', `${prefix}-${i}`, { headers: { [SENT_AT]: sentAt[i] } }).then(() => (confirmMs[i] = epochMs() - sentAt[i])));
  }
  const offeredRate = (count / ((performance.now() - t0) / 1000)).toFixed(1);
  await Promise.all(confirms);
  return { sentAt, confirmMs, offeredRate };
}

const ms = (ns) => Number((ns / 1e6).toFixed(1));
const worst = (loops, p) => Number(Math.max(...loops.map((l) => l[p])).toFixed(1));

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const namespace = `benchws${tag}`;
  const prefix = `benchws${tag}:`;
  const secretKeys = benchSecretKeys();
  const publisher = createBus({ url: AMQP_URL, appName: 'bench-media', nodeId: 'pub', namespace });
  const directory = createDirectory({ url: REDIS_URL, prefix, secretKeys });
  const servers = [];
  const listeners = [];
  const rows = [];
  const load = { before: loadavg()[0] };
  try {
    await publisher.start();
    const baseEnv = { ...inheritedEnv(), AMQP_URL, REDIS_URL, LEGWORK_SECRET_KEYS: secretKeys, BENCH_PREFIX: prefix, BENCH_NAMESPACE: namespace, BENCH_MAX_CONNECTIONS: String(CFG.listeners) };
    const profile = CFG.cpuProf !== '' ? ['--cpu-prof', '--cpu-prof-dir', CFG.cpuProf] : [];
    for (let i = 0; i < CFG.servers; i++) servers.push(start(SERVER, { ...baseEnv, BENCH_NODE: `ws${i}` }, profile));
    const urls = await Promise.all(servers.map((s) => s.ready));
    const acct = await directory.accounts.create({ name: `bench-${tag}`, realm: `bench-${tag}.legwork.test` });
    const token = await directory.credentials.issueToken({ accountId: acct.id, method: 'api_key' });
    const publish = (eventName, callId, opts = {}) => {
      const def = callEvents[eventName];
      const msg = buildMessage(def, { 'Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': acct.id } }, envelope('bench', '0.1.0'));
      // A confirm comes once the broker routed the event to every queue bound: slow with one queue per socket.
      return publisher.publish(def.exchange, def.routingKey(msg), msg, { mandatory: false, timeoutMs: CFG.phaseLimitMs, ...opts });
    };

    // The broker hop with nothing subscribed yet: RabbitMQ and idle servers, without the fan-out's CPU beside them.
    log(`broker hop, no listeners: ${CFG.idleEvents} CHANNEL_ANSWER events at ${CFG.latencyRate}/s`);
    await askAll(servers, { probe: true }, 'probe');
    const idle = await onSchedule(publish, 'idle', CFG.idleEvents, 1000 / CFG.latencyRate);
    await sleep(200);
    const idleHop = (await askAll(servers, { probe: true }, 'probe')).flat().sort((a, b) => a - b);
    const idleConfirm = [...idle.confirmMs].sort((a, b) => a - b);
    rows.push({ metric: `no listeners: publish→websockets process (broker hop) p50 / p99`, value: pct(idleHop, 50), unit: 'ms', p99: pct(idleHop, 99), samples: idleHop.length });
    rows.push({ metric: `no listeners: publish→confirm p50 / p99`, value: pct(idleConfirm, 50), unit: 'ms', p99: pct(idleConfirm, 99), samples: idleConfirm.length });

    log(`connecting and subscribing ${CFG.listeners} listeners (${CFG.listenerProcesses} processes) over ${CFG.servers} server processes`);
    const t0 = performance.now();
    const per = Math.ceil(CFG.listeners / CFG.listenerProcesses);
    for (let i = 0; i < CFG.listenerProcesses; i++) {
      const count = Math.min(per, CFG.listeners - i * per);
      listeners.push(start(LISTENERS, { ...inheritedEnv(), BENCH_WS_URLS: urls.join(','), BENCH_WS_COUNT: String(count), BENCH_WS_OFFSET: String(i * per), BENCH_WS_TOKEN: token, BENCH_WS_ACCOUNT: acct.id }));
    }
    await Promise.all(listeners.map((l) => l.ready));
    rows.push({ metric: 'connect+subscribe', value: Math.round((CFG.listeners / (performance.now() - t0)) * 1000), unit: 'sockets/s', sockets: CFG.listeners });

    const total = async () => sum(await askAll(listeners, { count: true }, 'count'));
    const waitDelivered = async (expected, since) => {
      let got = await total();
      while (got < expected && performance.now() - since < CFG.phaseLimitMs) {
        await sleep(20);
        got = await total();
      }
      return got;
    };

    log(`fan-out: ${CFG.fanoutEvents} events to ${CFG.listeners} listeners`);
    const expected = CFG.fanoutEvents * CFG.listeners;
    const cpuFan = await cpuNow(servers, listeners);
    const start0 = performance.now();
    // A bounded publish window: each event becomes one frame per listener.
    for (let i = 0; i < CFG.fanoutEvents; i += CFG.publishWindow) {
      // CHANNEL_CREATE, one of the events `call.*.*` covers (Kazoo's set; CHANNEL_PROGRESS is not).
      await Promise.all(Array.from({ length: Math.min(CFG.publishWindow, CFG.fanoutEvents - i) }, (_, j) => publish('CHANNEL_CREATE', `fan-${i + j}`)));
    }
    const fanDelivered = await waitDelivered(expected, start0);
    const fanMs = performance.now() - start0;
    rows.push({ metric: `fan-out delivered to ${CFG.listeners} listeners`, value: Math.round((fanDelivered / fanMs) * 1000), unit: 'msgs/s', delivered: fanDelivered, expected, seconds: (fanMs / 1000).toFixed(2) });
    rows.push(...cpuRows('fan-out', cpuFan, await cpuNow(servers, listeners), fanDelivered));

    const gapMs = 1000 / CFG.latencyRate;
    log(`latency: ${CFG.latencyEvents} CHANNEL_ANSWER events at ${CFG.latencyRate}/s`);
    await Promise.all([askAll(servers, { probe: true }, 'probe'), askAll(servers, { hops: true }, 'hops'), askAll(servers, { loop: true }, 'loop'), askAll(listeners, { loop: true }, 'loop'), askAll(listeners, { receipts: true }, 'receipts')]);
    const ownLoop = monitorEventLoopDelay({ resolution: 5 });
    ownLoop.enable();
    const before = await total();
    const cpuLat = await cpuNow(servers, listeners);
    const latStart = performance.now();
    const { sentAt, confirmMs, offeredRate } = await onSchedule(publish, 'lat', CFG.latencyEvents, gapMs);
    const latDelivered = (await waitDelivered(before + CFG.latencyEvents * CFG.listeners, latStart)) - before;
    ownLoop.disable();
    const cpuLatEnd = await cpuNow(servers, listeners);
    const [broker, serverHops, serverLoops, listenerLoops, receipts] = await Promise.all([
      askAll(servers, { probe: true }, 'probe'),
      askAll(servers, { hops: true }, 'hops'),
      askAll(servers, { loop: true }, 'loop'),
      askAll(listeners, { loop: true }, 'loop'),
      askAll(listeners, { receipts: true }, 'receipts'),
    ]);
    const latencies = [];
    for (const r of receipts) for (let k = 0; k < r.length; k += 2) latencies.push(r[k + 1] - sentAt[r[k]]);
    latencies.sort((a, b) => a - b);
    const hop = broker.flat().sort((a, b) => a - b);
    const at = `at ${CFG.latencyRate} events/s`;
    rows.push({ metric: `CHANNEL_ANSWER publish→receipt p50 ${at}`, value: pct(latencies, 50), unit: 'ms', samples: latencies.length, offered: `${offeredRate}/s` });
    rows.push({ metric: `CHANNEL_ANSWER publish→receipt p99 ${at}`, value: pct(latencies, 99), unit: 'ms', samples: latencies.length });
    rows.push({ metric: `publish→websockets process (broker hop) p50 / p99 ${at}`, value: pct(hop, 50), unit: 'ms', p99: pct(hop, 99), samples: hop.length });
    // Each hop from the publish: the broker's confirm, the servers' consume, every socket handed its frame, the writes flushed.
    const confirmSorted = [...confirmMs].sort((a, b) => a - b);
    rows.push({ metric: `publish→confirm p50 / p99 ${at}`, value: pct(confirmSorted, 50), unit: 'ms', p99: pct(confirmSorted, 99), samples: confirmSorted.length });
    for (const [hopName, label] of [['consumed', 'fan-out dispatch began'], ['handed', 'every socket handed its frame'], ['flushed', 'the turn\'s writes flushed']]) {
      const xs = serverHops.flatMap((h) => h[hopName]).sort((a, b) => a - b);
      rows.push({ metric: `publish→${label} p50 / p99 ${at}`, value: pct(xs, 50), unit: 'ms', p99: pct(xs, 99), samples: xs.length });
    }
    rows.push(...cpuRows(`latency ${at}`, cpuLat, cpuLatEnd, latDelivered));
    // Time a ready callback waited for its process: the CPU busy elsewhere, or the process's own work.
    rows.push({ metric: `event-loop delay, publisher p50 / p99 ${at}`, value: ms(ownLoop.percentile(50)), unit: 'ms', p99: ms(ownLoop.percentile(99)) });
    rows.push({ metric: `event-loop delay, worse websockets process p50 / p99 ${at}`, value: worst(serverLoops, 'p50'), unit: 'ms', p99: worst(serverLoops, 'p99') });
    rows.push({ metric: `event-loop delay, worse listeners' process p50 / p99 ${at}`, value: worst(listenerLoops, 'p50'), unit: 'ms', p99: worst(listenerLoops, 'p99') });
  } finally {
    await Promise.all(listeners.map((l) => l.stop()));
    await Promise.all(servers.map((s) => s.stop()));
    await publisher.close();
    await directory.close();
    await cleanupRun({ namespace, prefix });
  }
  load.after = loadavg()[0];
  return { rows, meta: { amqpUrl: AMQP_URL.replace(/\/\/[^@]*@/, '//***@'), loadavg1: load, ...CFG } };
}
