// The ceiling Legwork's origination competes with: sipp uac → Kamailio (a minimal stateful proxy,
// kamailio/kamailio.cfg) → sipp uas, on loopback, at rising call rates; the highest rate with under 0.1 %
// failed calls as sipp counts them. Legwork's originate figures are then printed as ratios to it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, env, sleep } from './lib/env.mjs';
import { child, freePort, freeUdpPort } from './lib/procs.mjs';
import { sippCounts } from './lib/sipp.mjs';

export const name = 'kamailio';
/** Runs after originate when both are in one run, so the ratios use this run's originate figures. */
export const after = ['originate'];
export const description = 'sipp uac → Kamailio stateful proxy (tm, sl, rr) → sipp uas; highest call rate with < 0.1 % failures, and originate as a ratio to it';

const CFG = {
  rates: env('BENCH_KAMAILIO_RATES', '250,500,750,1000,1500,2000,3000').split(',').map(Number),
  secondsPerRate: Number(env('BENCH_KAMAILIO_SECONDS', 10)),
  children: Number(env('BENCH_KAMAILIO_CHILDREN', os.cpus().length)),
  maxFailurePct: 0.1,
};

function hasKamailio() {
  return new Promise((resolve) => {
    const p = spawn('kamailio', ['-v'], { stdio: 'ignore' });
    p.once('error', () => resolve(false));
    p.once('exit', (code) => resolve(code === 0));
  });
}

/** Kamailio forks its workers: SIGTERM to the main process stops them all (SIGKILL would orphan them). */
async function stopKamailio(proxy) {
  if (proxy.proc.exitCode !== null || proxy.proc.signalCode !== null) return;
  proxy.proc.kill('SIGTERM');
  const stopped = await Promise.race([proxy.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!stopped) proxy.kill();
}

async function uacAt(cwd, target, rate, calls) {
  const [port, media] = await Promise.all([freeUdpPort(), freePort()]);
  const args = ['-sn', 'uac', target, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media), '-t', 'u1', '-r', String(rate), '-m', String(calls), '-d', '0', '-l', String(rate * 4), '-nostdin', '-timeout', `${CFG.secondsPerRate + 30}s`, '-timeout_error'];
  const uac = child('uac', 'sipp', args, { cwd });
  const started = Date.now();
  const code = await uac.exited;
  return { code, seconds: (Date.now() - started) / 1000, ...sippCounts(uac.out.tail) };
}

/** This run's originate record when it ran first, otherwise the last one recorded. */
function originateRecord(earlier) {
  if (earlier?.originate !== undefined) return { record: earlier.originate, source: 'this run' };
  try {
    const record = JSON.parse(readFileSync(join(BENCH_DIR, 'results', 'originate-latest.json'), 'utf8'));
    return { record, source: `results/originate-latest.json of ${record.startedAt}` };
  } catch {
    return undefined;
  }
}

function ratioRows(ceiling, earlier, log) {
  const found = originateRecord(earlier);
  if (found === undefined || ceiling === 0) {
    log('no originate figures to compare (run `node bench/run.mjs originate kamailio`)');
    return [];
  }
  const pick = (prefix) => found.record.rows.find((r) => r.metric.startsWith(prefix));
  const rows = [];
  for (const r of [pick('sustained'), pick('hold ramp')].filter(Boolean)) {
    rows.push({ metric: `originate ${r.metric} / Kamailio ceiling`, value: Number(((100 * r.value) / ceiling).toFixed(1)), unit: '% of ceiling', originate: r.value, ceiling, originateFrom: found.source });
  }
  return rows;
}

export async function run({ log, earlier }) {
  if (!(await hasKamailio())) {
    log('skipped: kamailio is not installed (Debian: apt-get install -y kamailio)');
    return { skipped: 'kamailio not installed' };
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-kamailio-'));
  const [proxyPort, uasPort, uasMedia] = await Promise.all([freePort(), freePort(), freePort()]);
  const uas = child('uas', 'sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-mp', String(uasMedia), '-nostdin'], { cwd: tmp });
  const cfg = join(BENCH_DIR, 'kamailio', 'kamailio.cfg');
  const proxy = child('kamailio', 'kamailio', ['-DD', '-E', '-f', cfg, '-A', `UAS_PORT=${uasPort}`, '-l', `udp:127.0.0.1:${proxyPort}`, '-n', String(CFG.children), '-Y', tmp, '-w', tmp, '-P', join(tmp, 'kamailio.pid'), '-m', '256', '-M', '16'], { cwd: tmp });
  const rows = [];
  let ceiling = 0;
  let limitFound = false;
  try {
    await sleep(1500);
    if (proxy.proc.exitCode !== null) throw new Error(`kamailio did not start\n${proxy.tail()}`);
    log(`kamailio ${CFG.children} workers on udp ${proxyPort} → sipp uas on ${uasPort}`);
    for (const rate of CFG.rates) {
      const calls = rate * CFG.secondsPerRate;
      const r = await uacAt(tmp, `127.0.0.1:${proxyPort}`, rate, calls);
      const failed = r.failed ?? calls;
      const failurePct = (100 * failed) / Math.max(1, (r.successful ?? 0) + failed);
      const clean = r.successful !== undefined && failurePct < CFG.maxFailurePct;
      log(`rate ${rate}/s: sipp exit ${r.code}, successful ${r.successful}, failed ${r.failed} (${failurePct.toFixed(2)} %), ${r.seconds.toFixed(1)} s`);
      rows.push({ metric: `offered ${rate}/s`, value: r.successful ?? 0, unit: 'calls', offeredPerSec: rate, failed, failurePct: Number(failurePct.toFixed(3)), sippExit: r.code, seconds: r.seconds.toFixed(1) });
      if (!clean) {
        limitFound = true;
        break;
      }
      ceiling = rate;
    }
  } finally {
    await stopKamailio(proxy);
    uas.kill();
    await uas.exited;
    rmSync(tmp, { recursive: true, force: true });
  }
  // without a failing rate the ceiling is only a lower bound: the ramp ended first
  rows.unshift({ metric: `ceiling, < ${CFG.maxFailurePct} % failed calls`, value: ceiling, unit: 'calls/s', limitFound });
  rows.push(...ratioRows(ceiling, earlier, log));
  return { rows, meta: { proxy: 'Kamailio (Debian package), tm + sl + rr + maxfwd + textops, every request relayed to one sipp uas', cpus: os.cpus().length, ...CFG, rates: CFG.rates.join(',') } };
}
