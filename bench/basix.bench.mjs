/* global fetch, Buffer */
// Basix call_user throughput end to end: the whole platform as one `node apps/legwork/dist/main.js` (distributed on
// local RabbitMQ + Redis), users and devices provisioned over Kazoo REST, one basix API client, sipp phones that
// auto-answer and a sipp carrier that hangs up after 1 s. call_user at bounded concurrency for a fixed time each;
// every child is killed at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkCallState from '@legwork/call-state';
import { REDIS_URL, SCENARIOS, env, sleep } from './lib/env.mjs';
import { startLegwork } from './lib/platform.mjs';
import { freeUdpPort, sippLauncher } from './lib/procs.mjs';
import { Rest, closedLoop, watchCalls } from './lib/http-load.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile as pct } from './lib/stats.mjs';
import { waitRegistered } from './lib/wait.mjs';

const { createCallStore } = legworkCallState;

export const name = 'basix';
export const description = "Basix call_user → the user's device answers → carrier, one legwork process (bypass); originations/s, p50/p99, failures";

const CFG = {
  concurrency: env('BENCH_BASIX_CONCURRENCY', '20,50').split(',').map(Number),
  secondsPerPhase: Number(env('BENCH_BASIX_SECONDS', 10)),
  phones: Number(env('BENCH_BASIX_PHONES', 50)),
  settleMs: 20_000,
};

/** `curl -u 'DOMAIN_NAME:API_TOKEN' …/basix/api/call_user`. */
async function callUser(api, basic, body) {
  const res = await fetch(`${api}/basix/api/call_user`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** `concurrency` workers issuing call_user back to back for `seconds`; every answer timed. */
function phase(send, concurrency, seconds, body) {
  return closedLoop(concurrency, seconds, async (i) => {
    const res = await send(body(i));
    return { status: res.status, callId: res.body?.uuids?.[0], error: res.status === 200 ? undefined : `${res.status} ${res.body?.error?.id ?? ''}` };
  }, (err) => ({ status: 0, error: `0 ${String(err)}` }));
}

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const ns = `bench-basix-${tag}`;
  const prefix = `bench-basix-${tag}:`;
  const realm = `bench-${tag}.legwork.test`;
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-basix-'));
  const procs = [];
  const rows = [];
  let store;
  let watch;
  try {
    // the request bucket is lifted so provisioning 2 × BENCH_BASIX_PHONES documents never meets 429
    const { api, sipPort, apiKey } = await startLegwork({ ns, prefix, procs, env: { BASIX_MEDIA: 'bypass' } });

    const anon = new Rest(api);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: apiKey });
    const rest = new Rest(api, auth.body.auth_token);
    const account = await rest.create(`/v2/accounts/${auth.body.data.account_id}`, { name: `bench-${tag}`, realm });
    const base = `/v2/accounts/${account.id}`;
    const devices = [];
    const users = [];
    for (let i = 0; i < CFG.phones; i++) {
      const u = await rest.create(`${base}/users`, { first_name: `User${i}`, last_name: 'Bench', username: `u${i}` });
      const d = await rest.create(`${base}/devices`, { name: `ph${i}`, owner_id: u.id, sip: { username: `ph${i}`, password: `pw-${tag}-${i}` } });
      users.push(u.id);
      devices.push({ id: d.id, username: `ph${i}`, password: `pw-${tag}-${i}` });
    }
    const { client_secret: apiToken } = await rest.create(`${base}/api_clients`, { name: 'bench', dialect: 'basix' });
    const basic = Buffer.from(`${realm}:${apiToken}`).toString('base64');
    const [carrierPort, phonePort, ...media] = await Promise.all(Array.from({ length: 4 }, freeUdpPort));
    await rest.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
    log(`legwork at ${api}, SIP udp ${sipPort}; ${CFG.phones} phones, carrier on ${carrierPort} (BYE after 1 s)`);

    const sipp = sippLauncher(tmp);
    procs.push(sipp('carrier', carrierPort, media[0], ['-sf', join(SCENARIOS, 'originate-carrier-bye.xml'), '-t', 'u1']));
    const csv = join(tmp, 'phones.csv');
    writeFileSync(csv, `SEQUENTIAL\n${devices.map((u) => `${u.username};[authentication username=${u.username} password=${u.password}]`).join('\n')}\n`);
    const phones = sipp('phones', phonePort, media[1], [`127.0.0.1:${sipPort}`, '-sf', join(SCENARIOS, 'originate-phones-register.xml'), '-oocsf', join(SCENARIOS, 'originate-phone-answer.xml'), '-inf', csv, '-set', 'domain', realm, '-t', 'u1', '-m', String(CFG.phones), '-l', String(CFG.phones), '-r', '100']);
    procs.push(phones);
    store = createCallStore({ url: REDIS_URL, prefix });
    await waitRegistered(store, devices, realm, phones.tail);
    watch = await watchCalls(ns);

    const body = (i) => ({ user_id: users[i % users.length], destination: `+1555${String(1_000_000 + (i % 9_000_000)).padStart(7, '0')}`, answer_timeout: 20 });
    const send = (b) => callUser(api, basic, b);
    log('warm-up: 5 s at concurrency 5');
    await phase(send, 5, 5, body);
    await sleep(2000);

    let best = 0;
    for (const concurrency of CFG.concurrency) {
      log(`call_user, ${concurrency} in flight, ${CFG.secondsPerPhase} s`);
      const { results, wallSeconds } = await phase(send, concurrency, CFG.secondsPerPhase, body);
      const accepted = results.filter((r) => r.status === 200);
      const ids = accepted.map((r) => r.callId).filter(Boolean);
      const settleUntil = performance.now() + CFG.settleMs;
      while (performance.now() < settleUntil && !ids.every((id) => watch.bridged.has(id) || watch.failed.has(id))) await sleep(100);
      const bridged = ids.filter((id) => watch.bridged.has(id)).length;
      const errors = {};
      for (const r of results) if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
      for (const id of ids) if (!watch.bridged.has(id)) errors[watch.failed.get(id) ?? 'not bridged'] = (errors[watch.failed.get(id) ?? 'not bridged'] ?? 0) + 1;
      const failures = results.length - bridged;
      const ms = results.map((r) => r.ms).sort((a, b) => a - b);
      const rate = results.length / wallSeconds;
      if (failures === 0) best = Math.max(best, rate);
      rows.push({
        metric: `call_user, ${concurrency} in flight`, value: Math.round(rate), unit: 'originations/s', requests: results.length, accepted: accepted.length, bridged,
        failureRate: `${((failures / Math.max(1, results.length)) * 100).toFixed(2)}%`, p50Ms: pct(ms, 50).toFixed(1), p99Ms: pct(ms, 99).toFixed(1),
        ...(Object.keys(errors).length > 0 ? { errors: JSON.stringify(errors) } : {}),
      });
      // the carrier's 1 s calls drain before the next phase starts
      await sleep(3000);
      const dead = procs.filter((p) => p.proc.exitCode !== null || p.proc.signalCode !== null);
      if (dead.length > 0) throw new Error(`exited during the run: ${dead.map((p) => `${p.label}\n${p.out.tail}`).join('\n')}`);
    }
    rows.unshift({ metric: 'call_user, zero failures (best phase)', value: Math.round(best), unit: 'originations/s' });
    return {
      rows,
      meta: {
        mode: "one legwork process (all apps), distributed on local RabbitMQ + Redis, BASIX_MEDIA=bypass, call_user of a one-device user → transfer to a sipp carrier",
        latency: "p50/p99Ms = HTTP response time seen by the client: call_user answers once the user's legs were created (CHANNEL_CREATE)",
        success: 'a call_user counts when it got result_code 0 and its uuid published CHANNEL_BRIDGE on callevt; failureRate = (requests − bridged) / requests',
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
