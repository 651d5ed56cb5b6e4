// REST → first INVITE on the wire: quickcalls offered at a fixed rate (open loop) against one legwork process, each
// timed from the HTTP request being sent to its INVITE reaching the phone's socket (an in-process UDP phone that
// registers with digest and answers 486). A request is matched to its INVITE by Call-ID (the quickcall's call_id).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import amqplib from 'amqplib';
import legworkCallState from '@legwork/call-state';
import { AMQP_URL, REDIS_URL, env, sleep } from './lib/env.mjs';
import { provisionPhones, startLegwork } from './lib/platform.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { startSipPhone } from './lib/sip-phone.mjs';
import { percentile as pct } from './lib/stats.mjs';
import { waitRegistered } from './lib/wait.mjs';

const { createCallStore } = legworkCallState;

export const name = 'rest-invite-latency';
export const description = 'Kazoo REST GET quickcall at a fixed rate → first INVITE at the device socket; p50/p90/p99/max ms, INVITEs missing';

const CFG = {
  rate: Number(env('BENCH_RESTLAT_RATE', 100)),
  seconds: Number(env('BENCH_RESTLAT_SECONDS', 20)),
  phones: Number(env('BENCH_RESTLAT_PHONES', 50)),
  settleMs: 5000,
};

/** A queue of our own on the originate route: when each originate_req reached the broker (by its Outbound-Call-ID), as a media node would see it. */
async function tapOriginates(ns) {
  const conn = await amqplib.connect(AMQP_URL);
  const ch = await conn.createChannel();
  const q = (await ch.assertQueue('', { exclusive: true })).queue;
  await ch.bindQueue(q, `${ns}.callmgr`, 'originate.resource.req');
  const seen = new Map();
  await ch.consume(q, (m) => {
    const at = performance.now();
    for (const e of JSON.parse(m.content.toString()).Endpoints ?? []) if (typeof e['Outbound-Call-ID'] === 'string') seen.set(e['Outbound-Call-ID'], at);
  }, { noAck: true });
  return { seen, close: () => conn.close().catch(() => undefined) };
}

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const ns = `bench-restlat-${tag}`;
  const prefix = `bench-restlat-${tag}:`;
  const realm = `bench-${tag}.legwork.test`;
  const procs = [];
  let store;
  let phone;
  let tap;
  try {
    const { api, sipPort, apiKey } = await startLegwork({ ns, prefix, procs });
    const { rest, base, devices } = await provisionPhones({ api, apiKey, tag, realm, phones: CFG.phones });
    phone = await startSipPhone({ platform: `127.0.0.1:${sipPort}`, realm });
    await phone.register(devices);
    store = createCallStore({ url: REDIS_URL, prefix });
    await waitRegistered(store, devices, realm, () => '');
    tap = await tapOriginates(ns);
    log(`legwork at ${api}, SIP udp ${sipPort}; ${devices.length} phones registered; ${CFG.rate}/s for ${CFG.seconds} s`);

    const target = (i) => `${base}/devices/${devices[i % devices.length].id}/quickcall/%2B1555${String(1_000_000 + i).padStart(7, '0')}?media=bypass&timeout=5`;
    const offer = async (count, rate) => {
      const sent = [];
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const at = performance.now();
        const entry = { at, lateMs: at - due };
        sent.push(entry);
        rest.call('GET', target(i)).then(
          (res) => Object.assign(entry, { status: res.status, answeredMs: performance.now() - at, callId: res.body?.data?.call_id ?? res.body?.data?.endpoints?.[0]?.outbound_call_id }),
          (err) => Object.assign(entry, { status: 0, error: String(err) }),
        );
      }
      return sent;
    };
    log('warm-up: 2 s at 20/s');
    await offer(40, 20);
    await sleep(3000);
    phone.invites.clear();

    const sent = await offer(CFG.rate * CFG.seconds, CFG.rate);
    const settleUntil = performance.now() + CFG.settleMs;
    while (performance.now() < settleUntil && !sent.every((s) => s.status !== undefined && (s.status !== 202 || phone.invites.has(s.callId)))) await sleep(100);
    const accepted = sent.filter((s) => s.status === 202);
    const ms = accepted.filter((s) => phone.invites.has(s.callId)).map((s) => phone.invites.get(s.callId).at - s.at).sort((a, b) => a - b);
    const missing = accepted.length - ms.length;
    if (ms.length === 0 && phone.invites.size > 0) log(`no INVITE matched by Call-ID; one seen: ${JSON.stringify([...phone.invites.entries()][0])}, one call_id: ${accepted[0]?.callId}`);
    const errors = {};
    for (const s of sent) if (s.status !== 202) errors[s.status ?? 'no answer'] = (errors[s.status ?? 'no answer'] ?? 0) + 1;
    // the split: GET answers once the gateway published originate_req, so the rest is bus → media node → wire
    const answered = accepted.map((s) => s.answeredMs).sort((a, b) => a - b);
    const late = sent.map((s) => s.lateMs).sort((a, b) => a - b);
    const row = (metric, value) => ({ metric, value: Number(value.toFixed(2)), unit: 'ms' });
    // the same calls split at the broker: REST → originate_req delivered to a queue, then → INVITE on the wire
    const tapped = accepted.filter((s) => tap.seen.has(s.callId) && phone.invites.has(s.callId));
    const toBus = tapped.map((s) => tap.seen.get(s.callId) - s.at).sort((a, b) => a - b);
    const busToInvite = tapped.map((s) => phone.invites.get(s.callId).at - tap.seen.get(s.callId)).sort((a, b) => a - b);
    return {
      rows: [
        row('REST → INVITE p50', pct(ms, 50)), row('REST → INVITE p90', pct(ms, 90)), row('REST → INVITE p99', pct(ms, 99)), row('REST → INVITE max', ms.at(-1) ?? NaN),
        { metric: 'INVITE never arrived', value: missing, unit: 'calls', offered: sent.length, accepted: accepted.length, timed: ms.length, ...(Object.keys(errors).length > 0 ? { rejected: JSON.stringify(errors) } : {}) },
        row('REST → 202 (originate_req published) p50', pct(answered, 50)), row('REST → 202 (originate_req published) p99', pct(answered, 99)),
        row('REST → originate_req delivered (bus tap) p50', pct(toBus, 50)), row('REST → originate_req delivered (bus tap) p99', pct(toBus, 99)),
        row('originate_req delivered → INVITE p50', pct(busToInvite, 50)), row('originate_req delivered → INVITE p99', pct(busToInvite, 99)),
        row('send lateness p99 (client schedule)', pct(late, 99)),
      ],
      meta: {
        mode: 'one legwork process (all apps), distributed on local RabbitMQ + Redis, GET device quickcall, media=bypass; the phone answers 486',
        latency: 'from the GET being sent (performance.now() before fetch) to the INVITE datagram reaching the phone socket, matched by Call-ID',
        cpus: os.cpus().length, loadavgAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))), ...CFG,
      },
    };
  } finally {
    for (const p of procs) p.kill();
    await Promise.all(procs.map((p) => p.exited));
    await phone?.close();
    await tap?.close();
    await store?.close().catch(() => undefined);
    await cleanupRun({ namespace: ns, prefix, queues: ['legwork.originate', 'legwork.cdr'] }).catch((err) => log(`cleanup failed: ${err}`));
  }
}
