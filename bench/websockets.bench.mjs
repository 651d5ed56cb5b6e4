// Websocket fan-out against real RabbitMQ and Redis: two event-stream servers, 1,000 blackhole listeners
// subscribed to one account; messages/s delivered to all of them, then CHANNEL_ANSWER publish→receipt latency.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkBus from '@legwork/bus';
import legworkContracts from '@legwork/contracts';
import legworkDirectory from '@legwork/directory';
import legworkEventStream from '@legwork/event-stream';
import { AMQP_URL, N, REDIS_URL, benchSecretKeys, sleep } from './lib/env.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile } from './lib/stats.mjs';

const { createBus } = legworkBus;
const { buildMessage, callEvents, envelope } = legworkContracts;
const { createDirectory } = legworkDirectory;
const { EventStreamServer } = legworkEventStream;

export const name = 'websockets';
export const description = 'blackhole fan-out to 1,000 sockets and CHANNEL_ANSWER publish-to-receipt latency';

const CFG = {
  listeners: N('BENCH_WS_LISTENERS', 1000),
  servers: N('BENCH_WS_SERVERS', 2),
  fanoutEvents: N('BENCH_WS_FANOUT_EVENTS', 50),
  publishWindow: N('BENCH_WS_PUBLISH_WINDOW', 10),
  latencyEvents: N('BENCH_WS_LATENCY_EVENTS', 100),
  latencyGapMs: N('BENCH_WS_LATENCY_GAP_MS', 20),
  phaseLimitMs: N('BENCH_WS_PHASE_LIMIT_MS', 60_000),
};

const pct = (sorted, p) => percentile(sorted, p, 0);

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
  const publisher = createBus({ url: AMQP_URL, appName: 'bench-media', nodeId: 'pub', namespace });
  const directory = createDirectory({ url: REDIS_URL, prefix, secretKeys: benchSecretKeys() });
  const nodes = [];
  const clients = [];
  const rows = [];
  try {
    await publisher.start();
    for (let i = 0; i < CFG.servers; i++) {
      const bus = createBus({ url: AMQP_URL, appName: 'bench-websockets', nodeId: `ws${i}`, namespace });
      await bus.start();
      const server = new EventStreamServer({ bus, directory, options: { maxConnectionsPerIp: CFG.listeners } });
      const http = createServer((_q, s) => s.writeHead(404).end());
      server.attach(http);
      await new Promise((r) => http.listen(0, '127.0.0.1', r));
      nodes.push({ bus, server, http, url: `ws://127.0.0.1:${http.address().port}/websocket` });
    }
    const acct = await directory.accounts.create({ name: `bench-${tag}`, realm: `bench-${tag}.legwork.test` });
    const token = await directory.credentials.issueToken({ accountId: acct.id, method: 'api_key' });

    log(`connecting and subscribing ${CFG.listeners} listeners over ${CFG.servers} servers`);
    const t0 = performance.now();
    for (let i = 0; i < CFG.listeners; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, CFG.listeners - i) }, (_, j) => listen(nodes[(i + j) % nodes.length].url)));
      await Promise.all(batch.map((c) => request(c, { action: 'subscribe', auth_token: token, data: { account_id: acct.id, binding: 'call.*.*' } })));
      clients.push(...batch);
    }
    rows.push({ metric: 'connect+subscribe', value: Math.round((clients.length / (performance.now() - t0)) * 1000), unit: 'sockets/s', sockets: clients.length });

    const event = (n, callId) => {
      const def = callEvents[n];
      const msg = buildMessage(def, { 'Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': acct.id } }, envelope('bench', '0.1.0'));
      return { def, msg };
    };

    log(`fan-out: ${CFG.fanoutEvents} events to ${clients.length} listeners`);
    const expected = CFG.fanoutEvents * clients.length;
    const start = performance.now();
    // A bounded publish window: each event becomes one message per listener queue inside the broker.
    for (let i = 0; i < CFG.fanoutEvents; i += CFG.publishWindow) {
      await Promise.all(Array.from({ length: Math.min(CFG.publishWindow, CFG.fanoutEvents - i) }, (_, j) => {
        // CHANNEL_CREATE, one of the events `call.*.*` covers (Kazoo's set; CHANNEL_PROGRESS is not).
        const { def, msg } = event('CHANNEL_CREATE', `fan-${i + j}`);
        return publisher.publish(def.exchange, def.routingKey(msg), msg, { mandatory: false, timeoutMs: CFG.phaseLimitMs });
      }));
    }
    const total = () => clients.reduce((n, c) => n + c.received, 0);
    while (total() < expected && performance.now() - start < CFG.phaseLimitMs) await sleep(5);
    const fanMs = performance.now() - start;
    rows.push({ metric: 'fan-out delivered', value: Math.round((total() / fanMs) * 1000), unit: 'msgs/s', delivered: total(), expected, seconds: (fanMs / 1000).toFixed(2) });

    log(`latency: ${CFG.latencyEvents} CHANNEL_ANSWER events, ${CFG.latencyGapMs} ms apart`);
    const latencies = [];
    const sentAt = new Map();
    for (const c of clients) c.onEvent = (f) => f.name === 'CHANNEL_ANSWER' && latencies.push(performance.now() - sentAt.get(f.data.call_id));
    for (let i = 0; i < CFG.latencyEvents; i++) {
      const { def, msg } = event('CHANNEL_ANSWER', `lat-${i}`);
      sentAt.set(`lat-${i}`, performance.now());
      await publisher.publish(def.exchange, def.routingKey(msg), msg, { mandatory: false });
      await sleep(CFG.latencyGapMs);
    }
    const latStart = performance.now();
    while (latencies.length < CFG.latencyEvents * clients.length && performance.now() - latStart < CFG.phaseLimitMs) await sleep(5);
    latencies.sort((a, b) => a - b);
    rows.push({ metric: 'CHANNEL_ANSWER publish→receipt p50', value: Number(pct(latencies, 50).toFixed(2)), unit: 'ms', samples: latencies.length });
    rows.push({ metric: 'CHANNEL_ANSWER publish→receipt p99', value: Number(pct(latencies, 99).toFixed(2)), unit: 'ms', samples: latencies.length });
  } finally {
    for (const c of clients) c.ws.terminate();
    for (const n of nodes) {
      await n.server.close();
      await new Promise((r) => n.http.close(r));
      await n.bus.close();
    }
    await publisher.close();
    await directory.close();
    await cleanupRun({ namespace, prefix });
  }
  return { rows, meta: { amqpUrl: AMQP_URL.replace(/\/\/[^@]*@/, '//***@'), ...CFG } };
}
