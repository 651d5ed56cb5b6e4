
// REST quickcall throughput end to end: the whole platform as one `node apps/legwork/dist/main.js` (distributed on
// local RabbitMQ + Redis), provisioned over Kazoo REST only, sipp phones that auto-answer and a sipp carrier that
// hangs up after 1 s. GET and POST quickcalls at bounded concurrency for a fixed time each; every child is killed at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
// The libs are CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkCallState from '@legwork/call-state';
import { REDIS_URL, SCENARIOS, env, sleep } from './lib/env.mjs';
import { provisionPhones, startLegwork } from './lib/platform.mjs';
import { freeUdpPort, sippLauncher } from './lib/procs.mjs';
import { closedLoop, watchCalls } from './lib/http-load.mjs';
import { cleanupRun } from './lib/scratch.mjs';
import { percentile as pct } from './lib/stats.mjs';
import { waitRegistered } from './lib/wait.mjs';

const { createCallStore } = legworkCallState;

export const name = 'rest-quickcall';
export const description = 'Kazoo REST quickcall (GET and POST) → device answers → carrier, one legwork process (bypass); quickcalls/s, p50/p99, failures';

const CFG = {
  concurrency: env('BENCH_REST_CONCURRENCY', '20,50').split(',').map(Number),
  secondsPerPhase: Number(env('BENCH_REST_SECONDS', 10)),
  phones: Number(env('BENCH_REST_PHONES', 50)),
  settleMs: 20_000,
};

/** `concurrency` workers issuing quickcalls back to back for `seconds`; every answer timed. */
function phase(rest, verb, concurrency, seconds, target) {
  return closedLoop(concurrency, seconds, async (i) => {
    const res = await rest.call(verb, target(i), verb === 'POST' ? {} : undefined);
    const callId = res.body?.data?.call_id ?? res.body?.data?.endpoints?.[0]?.outbound_call_id;
    return { status: res.status, callId, error: res.status === 202 ? undefined : `${res.status} ${res.body?.data?.error_message ?? res.body?.message ?? ''}` };
  }, (err) => ({ status: 0, error: `0 ${String(err)}` }));
}

export async function run({ log }) {
  const tag = randomBytes(4).toString('hex');
  const ns = `bench-rest-${tag}`;
  const prefix = `bench-rest-${tag}:`;
  const realm = `bench-${tag}.legwork.test`;
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-rest-'));
  const procs = [];
  const rows = [];
  let store;
  let watch;
  try {
    const { api, sipPort, apiKey } = await startLegwork({ ns, prefix, procs });

    const { rest, base, devices } = await provisionPhones({ api, apiKey, tag, realm, phones: CFG.phones });
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

    const target = (i) => `${base}/devices/${devices[i % devices.length].id}/quickcall/%2B1555${String(1_000_000 + (i % 9_000_000)).padStart(7, '0')}?media=bypass&timeout=20`;
    log('warm-up: 5 s of POST at concurrency 5');
    await phase(rest, 'POST', 5, 5, target);
    await sleep(2000);

    let best = { GET: 0, POST: 0 };
    for (const verb of ['GET', 'POST']) {
      for (const concurrency of CFG.concurrency) {
        log(`${verb} quickcall, ${concurrency} in flight, ${CFG.secondsPerPhase} s`);
        const { results, wallSeconds } = await phase(rest, verb, concurrency, CFG.secondsPerPhase, target);
        const accepted = results.filter((r) => r.status === 202);
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
        if (failures === 0) best[verb] = Math.max(best[verb], rate);
        rows.push({
          metric: `${verb} quickcall, ${concurrency} in flight`, value: Math.round(rate), unit: 'quickcalls/s', requests: results.length, accepted: accepted.length, bridged,
          failureRate: `${((failures / Math.max(1, results.length)) * 100).toFixed(2)}%`, p50Ms: pct(ms, 50).toFixed(1), p99Ms: pct(ms, 99).toFixed(1),
          ...(Object.keys(errors).length > 0 ? { errors: JSON.stringify(errors) } : {}),
        });
        // the carrier's 1 s calls drain before the next phase starts
        await sleep(3000);
        const dead = procs.filter((p) => p.proc.exitCode !== null || p.proc.signalCode !== null);
        if (dead.length > 0) throw new Error(`exited during the run: ${dead.map((p) => `${p.label}\n${p.out.tail}`).join('\n')}`);
      }
    }
    rows.unshift(
      { metric: 'GET quickcall, zero failures (best phase)', value: Math.round(best.GET), unit: 'quickcalls/s' },
      { metric: 'POST quickcall, zero failures (best phase)', value: Math.round(best.POST), unit: 'quickcalls/s' },
    );
    return {
      rows,
      meta: {
        mode: 'one legwork process (all apps), distributed on local RabbitMQ + Redis, media=bypass, device quickcall → transfer to a sipp carrier',
        latency: 'p50/p99Ms = HTTP response time seen by the client: GET answers once the originate_req is published, POST once the originate_resp arrived (device answered)',
        success: 'a quickcall counts when it got 202 and its call id published CHANNEL_BRIDGE on callevt; failureRate = (requests − bridged) / requests',
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
