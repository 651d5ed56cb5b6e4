/* global process */
// Blackhole listeners in a process of their own, for the websockets bench: BENCH_WS_COUNT sockets spread over the
// servers of BENCH_WS_URLS, each subscribed to `call.*.*` of BENCH_WS_ACCOUNT; reports {ready}. Over IPC it answers
// {count} (events received so far), {cpuUs} (user + system µs since ready), {loop} (event-loop delay p50/p99, ms,
// since the last ask), {receipts} (for every CHANNEL_ANSWER `lat-<i>` frame: i and its arrival, epoch ms) and, told
// to stop, closes its sockets and exits.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const e = process.env;
const urls = e.BENCH_WS_URLS.split(',');
const sockets = [];
let count = 0;
let receipts = [];

function listen(url) {
  const ws = new WebSocket(url);
  const pending = new Map();
  ws.on('message', (data) => {
    // Stamped before the bench's own parsing of the frame: when it reached this listener.
    const at = performance.timeOrigin + performance.now();
    const frame = JSON.parse(String(data));
    if (frame.action !== 'event') return pending.get(frame.request_id)?.(frame);
    count++;
    const callId = frame.data?.call_id;
    if (frame.name === 'CHANNEL_ANSWER' && typeof callId === 'string' && callId.startsWith('lat-')) receipts.push(Number(callId.slice(4)), at);
  });
  const request = (frame) =>
    new Promise((resolve) => {
      const id = randomBytes(4).toString('hex');
      pending.set(id, resolve);
      ws.send(JSON.stringify({ ...frame, request_id: id }));
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, request }));
    ws.once('error', reject);
  });
}

const offset = Number(e.BENCH_WS_OFFSET);
for (let i = 0; i < Number(e.BENCH_WS_COUNT); i += 100) {
  const batch = await Promise.all(Array.from({ length: Math.min(100, Number(e.BENCH_WS_COUNT) - i) }, (_, j) => listen(urls[(offset + i + j) % urls.length])));
  const replies = await Promise.all(batch.map((c) => c.request({ action: 'subscribe', auth_token: e.BENCH_WS_TOKEN, data: { account_id: e.BENCH_WS_ACCOUNT, binding: 'call.*.*' } })));
  if (!replies.every((r) => r.status === 'success')) throw new Error(`subscribe refused: ${JSON.stringify(replies.find((r) => r.status !== 'success'))}`);
  sockets.push(...batch);
}

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const cpuAtReady = process.cpuUsage();
process.send?.({ ready: true });
process.on('message', (msg) => {
  if (msg?.count === true) return process.send?.({ count });
  if (msg?.cpu === true) {
    const c = process.cpuUsage(cpuAtReady);
    return process.send?.({ cpuUs: c.user + c.system });
  }
  if (msg?.loop === true) {
    process.send?.({ loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6 } });
    loop.reset();
    return;
  }
  if (msg?.receipts === true) {
    process.send?.({ receipts });
    receipts = [];
    return;
  }
  if (msg?.stop !== true) return;
  for (const s of sockets) s.ws.terminate();
  process.disconnect();
  process.exit(0);
});
