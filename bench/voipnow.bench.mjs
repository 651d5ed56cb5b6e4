/* global fetch, URLSearchParams */
// VoipNow PhoneCalls throughput end to end, beside rest-quickcall: the whole platform as one legwork process
// (distributed on local RabbitMQ + Redis), provisioned over Kazoo REST, one VoipNow organization app (OAuth),
// PhoneCalls simple from each phone's extension to a sipp carrier that hangs up after 1 s; originations/s that bridged.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import amqplib from 'amqplib';
// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkCallState from '@legwork/call-state';
import { AMQP_URL, REDIS_URL, SCENARIOS, env, sleep } from './lib/env.mjs';
import { startLegwork } from './lib/platform.mjs';
import { freeUdpPort, sippLauncher } from './lib/procs.mjs';
import { callEventQueue, cleanupRun } from './lib/scratch.mjs';
import { closedLoop } from './lib/http-load.mjs';
import { percentile as pct } from './lib/stats.mjs';
import { waitRegistered } from './lib/wait.mjs';

const { createCallStore } = legworkCallState;

export const name = 'voipnow';
export const description = 'VoipNow PhoneCalls simple (OAuth app) → the extension answers → carrier, one legwork process (bypass); originations/s bridged, p50/p99, failures';

const CFG = {
  concurrency: env('BENCH_VOIPNOW_CONCURRENCY', '20,50').split(',').map(Number),
  secondsPerPhase: Number(env('BENCH_VOIPNOW_SECONDS', 10)),
  phones: Number(env('BENCH_VOIPNOW_PHONES', 50)),
  settleMs: 20_000,
};

async function kazoo(base, token, method, path, data) {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) }, body: data === undefined ? undefined : JSON.stringify({ data }) });
  const body = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** PhoneCall ids whose first leg bridged (the id is derived from that leg's call id), or failed, off the call-event exchange. */
async function watchPhoneCalls(ns) {
  const conn = await amqplib.connect(AMQP_URL);
  const ch = await conn.createChannel();
  const q = await callEventQueue(ch, ns, ['CHANNEL_BRIDGE', 'originate_failed']);
  const bridged = new Set();
  const failed = new Map();
  const idOf = (callId) => createHash('sha256').update(String(callId)).digest('hex').slice(0, 20);
  await ch.consume(q, (m) => {
    const e = JSON.parse(m.content.toString());
    if (e['Event-Name'] === 'CHANNEL_BRIDGE') bridged.add(idOf(e['Call-ID']));
    else failed.set(idOf(e['Call-ID']), String(e['Error-Message'] ?? 'originate_failed'));
  }, { noAck: true });
  return { bridged, failed, close: () => conn.close().catch(() => undefined) };
}

/** `concurrency` workers posting PhoneCalls back to back for `seconds`; every answer timed. */
function phase(api, token, concurrency, seconds, payload) {
  return closedLoop(concurrency, seconds, async (i) => {
    const res = await fetch(`${api}/uapi/phoneCalls/@owner/simple?waitForPickup=20`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload(i)) });
    const body = await res.json();
    return { status: res.status, id: Array.isArray(body) ? body[0]?.id : undefined, error: res.status === 202 ? undefined : `${res.status} ${body?.error?.code ?? ''}` };
  }, (err) => ({ status: 0, error: `0 ${String(err)}` }));
}

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const ns = `bench-vn-${tag}`;
  const prefix = `bench-vn-${tag}:`;
  const realm = `bench-vn-${tag}.legwork.test`;
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-vn-'));
  const procs = [];
  const rows = [];
  let store;
  let watch;
  try {
    const { api, sipPort, apiKey } = await startLegwork({ ns, prefix, procs, env: { VOIPNOW_MEDIA: 'bypass' } });

    const auth = await kazoo(api, undefined, 'PUT', '/v2/api_auth', { api_key: apiKey });
    const admin = (method, path, data) => kazoo(api, auth.auth_token, method, path, data).then((b) => b.data);
    const account = await admin('PUT', `/v2/accounts/${auth.data.account_id}`, { name: `bench-vn-${tag}`, realm, country: 'US' });
    const base = `/v2/accounts/${account.id}`;
    const owner = await admin('PUT', `${base}/users`, { first_name: 'Bench', last_name: 'Owner' });
    const devices = [];
    for (let i = 0; i < CFG.phones; i++) {
      const d = await admin('PUT', `${base}/devices`, { name: `ph${i}`, extension: String(1000 + i), owner_id: owner.id, sip: { username: `ph${i}`, password: `pw-${tag}-${i}` } });
      devices.push({ id: d.id, extension: String(1000 + i), username: `ph${i}`, password: `pw-${tag}-${i}` });
    }
    const [carrierPort, phonePort, ...media] = await Promise.all(Array.from({ length: 4 }, freeUdpPort));
    await admin('PUT', `${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
    const client = await admin('PUT', `${base}/api_clients`, { name: 'bench', dialect: 'voipnow' });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret });
    const token = (await (await fetch(`${api}/oauth/token.php`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })).json()).access_token;
    if (typeof token !== 'string') throw new Error('no VoipNow access token');
    log(`legwork at ${api}, SIP udp ${sipPort}; ${CFG.phones} phones with extensions, carrier on ${carrierPort} (BYE after 1 s)`);

    const sipp = sippLauncher(tmp);
    procs.push(sipp('carrier', carrierPort, media[0], ['-sf', join(SCENARIOS, 'originate-carrier-bye.xml'), '-t', 'u1']));
    const csv = join(tmp, 'phones.csv');
    writeFileSync(csv, `SEQUENTIAL\n${devices.map((u) => `${u.username};[authentication username=${u.username} password=${u.password}]`).join('\n')}\n`);
    const phones = sipp('phones', phonePort, media[1], [`127.0.0.1:${sipPort}`, '-sf', join(SCENARIOS, 'originate-phones-register.xml'), '-oocsf', join(SCENARIOS, 'originate-phone-answer.xml'), '-inf', csv, '-set', 'domain', realm, '-t', 'u1', '-m', String(CFG.phones), '-l', String(CFG.phones), '-r', '100']);
    procs.push(phones);
    store = createCallStore({ url: REDIS_URL, prefix });
    await waitRegistered(store, devices, realm, phones.tail);
    watch = await watchPhoneCalls(ns);

    const payload = (i) => {
      const ext = devices[i % devices.length].extension;
      return { extension: ext, phoneCallView: [{ source: [ext], destination: [`+1555${String(1_000_000 + (i % 9_000_000)).padStart(7, '0')}`] }] };
    };
    log('warm-up: 5 s at concurrency 5');
    await phase(api, token, 5, 5, payload);
    await sleep(2000);

    let best = 0;
    for (const concurrency of CFG.concurrency) {
      log(`PhoneCalls simple, ${concurrency} in flight, ${CFG.secondsPerPhase} s`);
      const { results, wallSeconds } = await phase(api, token, concurrency, CFG.secondsPerPhase, payload);
      const accepted = results.filter((r) => r.status === 202 && r.id);
      const settleUntil = performance.now() + CFG.settleMs;
      while (performance.now() < settleUntil && !accepted.every((r) => watch.bridged.has(r.id) || watch.failed.has(r.id))) await sleep(100);
      const bridged = accepted.filter((r) => watch.bridged.has(r.id)).length;
      const errors = {};
      for (const r of results) if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
      for (const r of accepted) if (!watch.bridged.has(r.id)) errors[watch.failed.get(r.id) ?? 'not bridged'] = (errors[watch.failed.get(r.id) ?? 'not bridged'] ?? 0) + 1;
      const failures = results.length - bridged;
      const ms = results.map((r) => r.ms).sort((a, b) => a - b);
      const rate = results.length / wallSeconds;
      if (failures === 0) best = Math.max(best, rate);
      rows.push({
        metric: `PhoneCalls simple, ${concurrency} in flight`, value: Math.round(rate), unit: 'originations/s', requests: results.length, accepted: accepted.length, bridged,
        failureRate: `${((failures / Math.max(1, results.length)) * 100).toFixed(2)}%`, p50Ms: pct(ms, 50).toFixed(1), p99Ms: pct(ms, 99).toFixed(1),
        ...(Object.keys(errors).length > 0 ? { errors: JSON.stringify(errors) } : {}),
      });
      await sleep(3000);
      const dead = procs.filter((p) => p.proc.exitCode !== null || p.proc.signalCode !== null);
      if (dead.length > 0) throw new Error(`exited during the run: ${dead.map((p) => `${p.label}\n${p.out.tail}`).join('\n')}`);
    }
    rows.unshift({ metric: 'VoipNow PhoneCalls, zero failures (best phase)', value: Math.round(best), unit: 'originations/s' });
    return {
      rows,
      meta: {
        mode: 'one legwork process (all apps), distributed on local RabbitMQ + Redis, VOIPNOW_MEDIA=bypass, PhoneCalls simple from an extension (one source) to a sipp carrier',
        latency: 'p50/p99Ms = HTTP response time seen by the app: 202 once a media node began ringing the source (await mode started)',
        success: 'a PhoneCall counts when it got 202 and its first leg published CHANNEL_BRIDGE on callevt; failureRate = (requests − bridged) / requests',
        rateLimit: 'RATE_BUCKET_BURST/REFILL lifted for the run',
        cpus: os.cpus().length, ...CFG, concurrency: CFG.concurrency.join(','),
      },
    };
  } finally {
    for (const p of procs) p.kill();
    await Promise.all(procs.map((p) => p.exited));
    await watch?.close();
    await store?.close().catch(() => undefined);
    await cleanupRun({ namespace: ns, prefix, queues: ['legwork.originate', 'legwork.cdr'] }).catch((err) => log(`cleanup failed: ${err}`));
    rmSync(tmp, { recursive: true, force: true });
  }
}
