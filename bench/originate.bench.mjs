/* global process, fetch, Buffer */
// Origination throughput of one media node in distributed mode (RabbitMQ + Redis, media bypass) against sipp:
// originate_req published with raw amqplib at rising rates, phones that auto-answer, a carrier that answers and
// hangs up after 1 s; then calls held up to a concurrency target to weigh the media node's heap per call.
// Bounded in calls and time; every child process is killed at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkPlatform from '@legwork/platform';
import { cpuSampler, cpuSeconds } from './lib/cpu.mjs';
import { AMQP_URL, REDIS_URL, ROOT, SCENARIOS, benchSecretKeys, env, inheritedEnv, sleep } from './lib/env.mjs';
import { child, freePort, sippLauncher } from './lib/procs.mjs';
import { callEventQueue, cleanupRun } from './lib/scratch.mjs';
import { median, percentile as pct } from './lib/stats.mjs';
import { waitRegistered } from './lib/wait.mjs';

const { createInfrastructure, createLogger } = legworkPlatform;

export const name = 'originate';
export const description = 'originate_req → both legs bridged on one media node (bypass) with sipp phones and carrier; calls/s, latency, CPU, heap per call';

const CFG = {
  rates: env('BENCH_ORIGINATE_RATES', '50,100,200,300').split(',').map(Number),
  secondsPerRate: Number(env('BENCH_ORIGINATE_SECONDS', 10)),
  phones: Number(env('BENCH_ORIGINATE_PHONES', 50)),
  holdCalls: Number(env('BENCH_ORIGINATE_HOLD_CALLS', 5000)),
  holdRate: Number(env('BENCH_ORIGINATE_HOLD_RATE', 250)),
  /** The media node's ORIGINATE_MAX_INFLIGHT; unset = its default (100). */
  maxInFlight: env('BENCH_ORIGINATE_MAX_INFLIGHT', ''),
  /** Node flags for the media node only, put on its command line (profiling, e.g. `--cpu-prof --cpu-prof-dir=<dir>`, which NODE_OPTIONS refuses); unset = none. */
  nodeOptions: env('BENCH_ORIGINATE_NODE_OPTIONS', ''),
  settleMs: 15_000,
  /** The ramp's SIP transactions linger 64*T1 = 32 s (Timer M/J) after their calls; the heap baseline waits them out. */
  lingerMs: Number(env('BENCH_ORIGINATE_LINGER_MS', 33_000)),
  holdLimitMs: 90_000,
};
const GC_ON_SIGUSR2 = `data:text/javascript,${encodeURIComponent("process.on('SIGUSR2', () => globalThis.gc());")}`;

/** Redis INFO memory used_memory: the server is shared, so the per-call figure also counts whatever else wrote meanwhile. */
async function redisUsedMemory(redis) {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1] ?? NaN);
}

async function heapUsed(httpPort) {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const pick = (metric) => Number(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { heap: pick('legwork_nodejs_heap_size_used_bytes'), rss: pick('legwork_process_resident_memory_bytes') };
}

/** Median of three heap samples, each taken right after a full GC of the media node. */
async function sampleHeap(node, httpPort) {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    node.proc.kill('SIGUSR2');
    await sleep(500);
    samples.push((await heapUsed(httpPort)).heap);
  }
  return median(samples);
}

/** Publishes originate_req and tracks each call from publish to both legs bridged. */
class Tracker {
  constructor(ch, ns, replyQueue) {
    Object.assign(this, { ch, ns, replyQueue });
    this.calls = new Map();
  }

  publish(id, body) {
    const msg = { 'App-Name': 'legwork-bench', 'App-Version': '1', 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Msg-ID': id, 'Server-ID': this.replyQueue, 'Outbound-Call-ID': id, ...body };
    this.calls.set(id, { sentAt: performance.now(), createdAt: undefined, resp: undefined, bridges: 0, failed: undefined });
    this.ch.publish(`${this.ns}.callmgr`, 'originate.resource.req', Buffer.from(JSON.stringify(msg)), { contentType: 'application/json', mandatory: true });
  }

  onReply(m) {
    const call = this.calls.get(m['Msg-ID']);
    if (call === undefined || m['Event-Name'] !== 'originate_resp') return;
    if (m['Application-Response'] === 'SUCCESS') call.resp = 'SUCCESS';
    else call.failed = String(m['Error-Message'] ?? 'error');
  }

  onEvent(m) {
    const name = m['Event-Name'];
    if (name === 'CHANNEL_CREATE') {
      const call = this.calls.get(m['Call-ID']);
      if (call !== undefined && call.createdAt === undefined) call.createdAt = performance.now();
    } else if (name === 'CHANNEL_BRIDGE') {
      const call = this.calls.get(m['Call-ID']) ?? this.calls.get(m['Other-Leg-Call-ID']);
      if (call !== undefined) {
        call.bridges += 1;
        if (call.bridges === 2) call.bridgedAt = performance.now();
      }
    } else if (name === 'originate_failed') {
      const call = this.calls.get(m['Call-ID']);
      if (call !== undefined) call.failed ??= String(m['Error-Message'] ?? 'originate_failed');
    }
  }

  summary(ids) {
    const calls = ids.map((id) => this.calls.get(id));
    const bridged = calls.filter((c) => c.resp === 'SUCCESS' && c.bridges >= 2);
    const latencies = calls.filter((c) => c.createdAt !== undefined).map((c) => c.createdAt - c.sentAt).sort((a, b) => a - b);
    const bridgeLatencies = bridged.map((c) => c.bridgedAt - c.sentAt).sort((a, b) => a - b);
    const causes = {};
    for (const c of calls) if (c.failed !== undefined) causes[c.failed] = (causes[c.failed] ?? 0) + 1;
    return { published: calls.length, success: calls.filter((c) => c.resp === 'SUCCESS').length, bridged: bridged.length, failed: calls.filter((c) => c.failed !== undefined).length, causes, latencies, bridgeLatencies, lastBridgedAt: Math.max(0, ...bridged.map((c) => c.bridgedAt)) };
  }

  settled(ids) {
    return ids.every((id) => {
      const c = this.calls.get(id);
      return c.failed !== undefined || (c.resp === 'SUCCESS' && c.bridges >= 2);
    });
  }
}

/** Publishes `count` requests evenly at `rate`/s (10 ms ticks); returns their ids. */
async function publishAt(tracker, rate, count, body, tag) {
  const ids = [];
  const t0 = performance.now();
  while (ids.length < count) {
    const due = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    while (ids.length < due) {
      const id = `${tag}-${ids.length}-${randomBytes(4).toString('hex')}`;
      tracker.publish(id, body(ids.length));
      ids.push(id);
    }
    await sleep(10);
  }
  return { ids, publishSeconds: (performance.now() - t0) / 1000, t0 };
}

async function waitSettled(tracker, ids, limitMs) {
  const deadline = performance.now() + limitMs;
  while (!tracker.settled(ids) && performance.now() < deadline) await sleep(50);
}

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const ns = `bench-orig-${tag}`;
  const prefix = `bench-orig-${tag}:`;
  const realm = `bench-${tag}.legwork.test`;
  const nodeId = `bench-media-${tag}`;
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-originate-'));
  const procs = [];
  const rows = [];
  const secretKeys = benchSecretKeys();
  let infra;
  let conn;
  let redis;
  try {
    infra = createInfrastructure({ appName: 'bench', nodeId: `bench-${tag}`, logger: createLogger('bench', 'silent'), amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: ns, redisPrefix: prefix, secretKeys });
    await infra.start();
    const account = await infra.directory.accounts.create({ name: `bench-${tag}`, realm, limits: { max_concurrent_channels: 100_000 } });
    const users = [];
    for (let i = 0; i < CFG.phones; i++) {
      const username = `ph${i}`;
      const device = await infra.directory.devices.create(account.id, { name: username, sip: { username, password: `pw-${tag}-${i}` } });
      users.push({ username, password: `pw-${tag}-${i}`, id: device.id });
    }
    const [byePort, holdPort, udp, tcp, ws, http, phonePort, ...media] = await Promise.all(Array.from({ length: 10 }, freePort));
    await infra.directory.resources.create(account.id, { name: 'carrier-bye', gateways: [{ server: `127.0.0.1:${byePort}` }], rules: ['^\\+1555\\d{7}$'] });
    await infra.directory.resources.create(account.id, { name: 'carrier-hold', gateways: [{ server: `127.0.0.1:${holdPort}` }], rules: ['^\\+1666\\d{7}$'] });

    log(`media node ${nodeId}: SIP udp ${udp}, HTTP ${http}; ${CFG.phones} phones, carriers on ${byePort} (BYE after 1 s) and ${holdPort} (hold)`);
    const inherited = inheritedEnv();
    // SIGUSR2 → full GC, so heap samples compare live objects rather than whatever garbage is pending
    const node = child('media-node', process.execPath, ['--expose-gc', '--import', GC_ON_SIGUSR2, ...CFG.nodeOptions.split(/\s+/).filter(Boolean), join(ROOT, 'apps/media-node/dist/main.js')], {
      cwd: ROOT,
      env: { ...inherited, NODE_ID: nodeId, AMQP_URL, REDIS_URL, AMQP_NAMESPACE: ns, REDIS_PREFIX: prefix, LEGWORK_SECRET_KEYS: secretKeys, HOST: '127.0.0.1', LOG_LEVEL: 'warn', MEDIA_NODE_HTTP_PORT: String(http), SIP_UDP_PORT: String(udp), SIP_TCP_PORT: String(tcp), SIP_WS_PORT: String(ws), DRAIN_TIMEOUT_MS: '1000', ...(CFG.maxInFlight !== '' ? { ORIGINATE_MAX_INFLIGHT: CFG.maxInFlight } : {}) },
    });
    procs.push(node);
    const sipp = sippLauncher(tmp);
    procs.push(sipp('carrier-bye', byePort, media[0], ['-sf', join(SCENARIOS, 'originate-carrier-bye.xml'), '-t', 'u1']));
    procs.push(sipp('carrier-hold', holdPort, media[1], ['-sf', join(SCENARIOS, 'originate-carrier-hold.xml'), '-t', 'u1']));
    for (let waited = 0; !(await infra.calls.nodes.isLive(nodeId)); waited += 100) {
      if (waited > 30_000 || node.proc.exitCode !== null) throw new Error(`media node did not start\n${node.tail()}`);
      await sleep(100);
    }
    const csv = join(tmp, 'phones.csv');
    writeFileSync(csv, `SEQUENTIAL\n${users.map((u) => `${u.username};[authentication username=${u.username} password=${u.password}]`).join('\n')}\n`);
    const phones = sipp('phones', phonePort, media[2], [`127.0.0.1:${udp}`, '-sf', join(SCENARIOS, 'originate-phones-register.xml'), '-oocsf', join(SCENARIOS, 'originate-phone-answer.xml'), '-inf', csv, '-set', 'domain', realm, '-t', 'u1', '-m', String(CFG.phones), '-l', String(CFG.phones), '-r', '100']);
    procs.push(phones);
    await waitRegistered(infra.calls, users, realm, phones.tail);

    conn = await amqplib.connect(AMQP_URL);
    const ch = await conn.createChannel();
    const replyQueue = `bench-replies-${tag}`;
    await ch.assertQueue(replyQueue, { exclusive: true });
    await ch.bindQueue(replyQueue, `${ns}.targeted`, replyQueue);
    const evq = await callEventQueue(ch, ns, ['CHANNEL_CREATE', 'CHANNEL_BRIDGE', 'originate_failed']);
    const tracker = new Tracker(ch, ns, replyQueue);
    await ch.consume(replyQueue, (m) => tracker.onReply(JSON.parse(m.content.toString())), { noAck: true });
    await ch.consume(evq, (m) => tracker.onEvent(JSON.parse(m.content.toString())), { noAck: true });
    const request = (route) => (i) => ({ 'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [{ 'Invite-Format': 'username', 'To-Username': users[i % users.length].username, 'To-Realm': realm, 'Endpoint-ID': users[i % users.length].id }], 'Custom-Channel-Vars': { 'Account-ID': account.id }, Timeout: 20 });

    log('warm-up: 50 calls at 25/s');
    const warm = await publishAt(tracker, 25, 50, request('+15551230000'), 'warm');
    await waitSettled(tracker, warm.ids, CFG.settleMs);
    await sleep(1500);

    let sustained = 0;
    const measured = [];
    for (const rate of CFG.rates) {
      const count = rate * CFG.secondsPerRate;
      log(`rate ${rate}/s: ${count} calls (carrier hangs up after 1 s)`);
      const cpu = cpuSampler(procs);
      const nodeCpu0 = cpuSeconds(node.proc.pid);
      const phase = await publishAt(tracker, rate, count, request('+15551230000'), `r${rate}`);
      await waitSettled(tracker, phase.ids, CFG.settleMs);
      const usage = cpu();
      const nodeCpuMs = (cpuSeconds(node.proc.pid) - nodeCpu0) * 1000;
      const s = tracker.summary(phase.ids);
      const achieved = s.bridged / ((s.lastBridgedAt - phase.t0) / 1000);
      const clean = s.failed === 0 && s.bridged === count;
      if (clean) sustained = Math.max(sustained, achieved);
      measured.push(achieved);
      rows.push({
        metric: `offered ${rate}/s`, value: Math.round(achieved), unit: 'bridged calls/s', offeredPerSec: rate, published: count, success: s.success, bridged: s.bridged, failed: s.failed,
        ...(Object.keys(s.causes).length > 0 ? { causes: JSON.stringify(s.causes) } : {}),
        p50CreateMs: pct(s.latencies, 50).toFixed(1), p99CreateMs: pct(s.latencies, 99).toFixed(1), p99BridgeMs: pct(s.bridgeLatencies, 99).toFixed(1),
        cpuMediaNodePct: usage['media-node'], cpuMediaNodeMsPerCall: (nodeCpuMs / Math.max(1, s.bridged)).toFixed(2), cpuPhonesPct: usage.phones, cpuCarrierPct: usage['carrier-bye'], cpuBenchPct: usage.bench,
      });
      await sleep(2000);
      const dead = procs.filter((p) => p.proc.exitCode !== null || p.proc.signalCode !== null);
      if (dead.length > 0) throw new Error(`exited during the run: ${dead.map((p) => `${p.label}\n${p.tail()}`).join('\n')}`);
      if (!clean) {
        log(`rate ${rate}/s not sustained (${s.bridged}/${count} bridged, ${s.failed} failed): stopping the ramp`);
        break;
      }
    }
    rows.unshift({ metric: 'sustained, every call bridged, zero failures', value: Math.round(sustained), unit: 'calls/s', floor: 200, meetsFloor: sustained >= 200 });

    // the baseline needs the ramp's calls gone (a backlog may still be running after the last phase)
    for (let waited = 0; (await infra.calls.calls.listByNode(nodeId)).length > 0 && waited < 30_000; waited += 250) await sleep(250);
    const leftover = (await infra.calls.calls.listByNode(nodeId)).length;
    log(`waiting ${CFG.lingerMs} ms for the ramp's SIP transactions to expire before the heap baseline`);
    await sleep(CFG.lingerMs);
    const heapBefore = await sampleHeap(node, http);
    redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    const redisBefore = await redisUsedMemory(redis);
    log(`hold: ${CFG.holdCalls} concurrent calls at ${CFG.holdRate}/s (carrier never hangs up)`);
    const holdCpu = cpuSampler(procs);
    const holdNodeCpu0 = cpuSeconds(node.proc.pid);
    const hold = await publishAt(tracker, CFG.holdRate, CFG.holdCalls, request('+16661230000'), 'hold');
    await waitSettled(tracker, hold.ids, CFG.holdLimitMs);
    const holdUsage = holdCpu();
    const holdNodeCpuMs = (cpuSeconds(node.proc.pid) - holdNodeCpu0) * 1000;
    const hs = tracker.summary(hold.ids);
    await sleep(2000);
    const heapAfter = await sampleHeap(node, http);
    const { rss } = await heapUsed(http);
    const redisAfter = await redisUsedMemory(redis);
    rows.push({
      metric: 'media-node heap per concurrent call', value: Math.round((heapAfter - heapBefore) / Math.max(1, hs.bridged)), unit: 'bytes/call (2 legs)',
      concurrent: hs.bridged, failed: hs.failed, liveBeforeHold: leftover, heapBeforeMB: (heapBefore / 2 ** 20).toFixed(1), heapAfterMB: (heapAfter / 2 ** 20).toFixed(1), rssMB: (rss / 2 ** 20).toFixed(1),
    });
    rows.push({
      metric: 'Redis memory per concurrent call', value: Math.round((redisAfter - redisBefore) / Math.max(1, hs.bridged)), unit: 'bytes/call (used_memory)',
      concurrent: hs.bridged, usedMemoryBeforeMB: (redisBefore / 2 ** 20).toFixed(1), usedMemoryAfterMB: (redisAfter / 2 ** 20).toFixed(1),
    });
    rows.push({
      metric: `hold ramp ${CFG.holdRate}/s`, value: Math.round(hs.bridged / ((hs.lastBridgedAt - hold.t0) / 1000)), unit: 'bridged calls/s', published: CFG.holdCalls, bridged: hs.bridged, failed: hs.failed,
      p50CreateMs: pct(hs.latencies, 50).toFixed(1), p99CreateMs: pct(hs.latencies, 99).toFixed(1), cpuMediaNodePct: holdUsage['media-node'], cpuMediaNodeMsPerCall: (holdNodeCpuMs / Math.max(1, hs.bridged)).toFixed(2), cpuPhonesPct: holdUsage.phones, cpuCarrierPct: holdUsage['carrier-hold'], cpuBenchPct: holdUsage.bench,
    });
    return {
      rows,
      meta: {
        mode: 'distributed (RabbitMQ + Redis), one media node, Media: bypass (3pcc), Application-Name: transfer to a carrier route',
        bridgeLatency: 'p99BridgeMs = bench publish of originate_req → the second CHANNEL_BRIDGE of the call (both legs answered and bridged)',
        latency: 'p50/p99CreateMs = bench publish of originate_req → bench receipt of the A-leg CHANNEL_CREATE on callevt; the engine publishes it as the leg is stored, beside sending the INVITE to the phone (the INVITE does not wait for it), so it includes one extra RabbitMQ hop and is not the INVITE wire time',
        bridged: 'a call counts when originate_resp is SUCCESS and both legs published CHANNEL_BRIDGE',
        cpu: 'percent of one core over each phase (utime+stime from /proc/<pid>/stat; bench via process.cpuUsage); RabbitMQ and Redis not included',
        cpuPerCall: 'cpuMediaNodeMsPerCall = media node utime+stime over the phase (publish until settled) divided by the bridged calls: the load-insensitive figure; ramp phases include each call\'s BYE, the hold phase only setup',
        redis: 'Redis INFO memory used_memory right after the heap baseline and right after the hold, difference divided by the bridged calls; the Redis server is shared, so other writers count too',
        heap: 'legwork_nodejs_heap_size_used_bytes from the media node /metrics, median of 3 samples before and after the hold ramp, each 500 ms after a forced full GC (SIGUSR2 → gc(), bench-only preload)',
        cpus: os.cpus().length, ...CFG, rates: CFG.rates.join(','),
        measuredRates: measured.map((r) => Math.round(r)).join(','),
      },
    };
  } finally {
    // a profiled media node writes its --cpu-prof only on a clean exit: SIGTERM first, SIGKILL after 10 s
    const profiled = procs.find((p) => p.label === 'media-node' && CFG.nodeOptions !== '' && p.proc.exitCode === null && p.proc.signalCode === null);
    if (profiled !== undefined) {
      profiled.proc.kill('SIGTERM');
      await Promise.race([profiled.exited, sleep(10_000)]);
    }
    for (const p of procs) p.kill();
    await Promise.all(procs.map((p) => p.exited));
    await conn?.close().catch(() => undefined);
    redis?.disconnect();
    await infra?.close().catch(() => undefined);
    await cleanupRun({ namespace: ns, prefix, queues: ['legwork.originate'] }).catch((err) => log(`cleanup failed: ${err}`));
    rmSync(tmp, { recursive: true, force: true });
  }
}
