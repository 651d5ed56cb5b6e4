/* global process, setImmediate */
// One event-stream server in a process of its own, as a websockets instance runs, for the websockets bench.
// Started from the environment the bench passes, it reports {ready, url}; over IPC it answers {cpu} (user +
// system µs since ready), {probe} (publish→this-process delays of CHANNEL_ANSWER events, ms, read off a queue of
// its own on the same bus, which shows the broker's share of the latency), {hops} (the fan-out's own hops, below), {loop} (event-loop delay p50/p99, ms,
// since the last ask: how long a ready callback waited for this process to get the CPU) and, told to stop, {stopped} before
// exiting normally (so that a --cpu-prof profile gets written).
import { createServer } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { z } from 'zod';
import legworkBus from '@legwork/bus';
import legworkCallState from '@legwork/call-state';
import legworkContracts from '@legwork/contracts';
import legworkDirectory from '@legwork/directory';
import legworkEventStream from '@legwork/event-stream';

const { createBus } = legworkBus;
const { createCallStore } = legworkCallState;
const { EXCHANGES } = legworkContracts;
const { createDirectory } = legworkDirectory;
const { EventStreamServer } = legworkEventStream;
const e = process.env;
const SENT_AT = 'bench-sent-at';

const directory = createDirectory({ url: e.REDIS_URL, prefix: e.BENCH_PREFIX, secretKeys: e.LEGWORK_SECRET_KEYS });
const calls = createCallStore({ url: e.REDIS_URL, prefix: e.BENCH_PREFIX });
const bus = createBus({ url: e.AMQP_URL, appName: 'bench-websockets', nodeId: e.BENCH_NODE, namespace: e.BENCH_NAMESPACE });
await bus.start();
// Per CHANNEL_ANSWER of the latency phase, ms after its publish: dispatch began (consumed), every socket was handed
// its frame (handed), and the turn's corked writes were flushed (setImmediate runs after the batcher's uncork).
let hops = { consumed: [], handed: [], flushed: [] };
const onFanOut = (headers, sinks, startedAt) => {
  const sentAt = Number(headers[SENT_AT]);
  if (!Number.isFinite(sentAt) || sinks === 0) return;
  const at = performance.timeOrigin;
  hops.consumed.push(at + startedAt - sentAt);
  hops.handed.push(at + performance.now() - sentAt);
  const into = hops.flushed;
  setImmediate(() => into.push(at + performance.now() - sentAt));
};
const server = new EventStreamServer({ bus, directory, events: calls.events, onFanOut, options: { maxConnectionsPerIp: Number(e.BENCH_MAX_CONNECTIONS) } });
const http = createServer((_q, s) => s.writeHead(404).end());
server.attach(http);
await new Promise((r) => http.listen(0, '127.0.0.1', r));

let probe = [];
const probeQueue = await bus.declareQueue('', { exclusive: true, autoDelete: true, deadLetter: false });
await bus.bindQueue(probeQueue, EXCHANGES.callevt.name, 'call.CHANNEL_ANSWER.*');
await bus.consume(probeQueue, z.unknown(), (_msg, ctx) => {
  const sentAt = Number(ctx.headers[SENT_AT]);
  if (Number.isFinite(sentAt)) probe.push(performance.timeOrigin + performance.now() - sentAt);
});

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const cpuAtReady = process.cpuUsage();
const cpuUs = () => {
  const c = process.cpuUsage(cpuAtReady);
  return c.user + c.system;
};
process.send?.({ ready: true, url: `ws://127.0.0.1:${http.address().port}/websocket` });
process.on('message', async (msg) => {
  if (msg?.cpu === true) return process.send?.({ cpuUs: cpuUs() });
  if (msg?.probe === true) {
    process.send?.({ probe });
    probe = [];
    return;
  }
  if (msg?.hops === true) {
    process.send?.({ hops });
    hops = { consumed: [], handed: [], flushed: [] };
    return;
  }
  if (msg?.loop === true) {
    process.send?.({ loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6 } });
    loop.reset();
    return;
  }
  if (msg?.stop !== true) return;
  await server.close();
  await new Promise((r) => http.close(r));
  await Promise.allSettled([bus.close(), directory.close(), calls.close()]);
  process.send?.({ stopped: true, cpuUs: cpuUs() });
  process.disconnect();
  process.exit(0);
});
