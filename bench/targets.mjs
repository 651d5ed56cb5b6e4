/* global process, console */
// Prints the performance targets against one day's results (`node bench/targets.mjs [YYYY-MM-DD]`, default the
// newest day file) as a Markdown table, so the README quotes figures of one run, each with its bench's start load.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

const row = (record, metric) => record?.rows?.find((r) => r.metric === metric || r.metric.startsWith(metric));
const best = (record, prefix) => Math.max(...(record?.rows ?? []).filter((r) => r.metric.startsWith(prefix)).map((r) => r.value));
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'not run');

/** Each target: the bench it reads, how it reads the figure, and whether bigger is better. */
const TARGETS = [
  { target: '≥ 500 bridged originations/s, one media node', bench: 'originate', goal: 500, unit: 'calls/s', read: (b) => row(b, 'sustained')?.value },
  { target: '≥ 400 originations/s through REST (Kazoo GET quickcall)', bench: 'rest-quickcall', goal: 400, unit: '/s', read: (b) => row(b, 'GET quickcall, zero failures')?.value },
  { target: '≤ 8 KB media-node heap per call at 20,000 calls', bench: 'originate', goal: 8192, unit: 'B', lower: true, read: (b) => heldAt(b, 20_000) },
  { target: 'SIP parse with ioredis loaded ≥ 250k msgs/s', bench: 'sip-parse', goal: 250_000, unit: 'msgs/s', read: (b) => b?.result?.parsers?.['@legwork/sip (ioredis loaded)']?.msgsPerSec },
  { target: 'REST → first INVITE p99 ≤ 10 ms at 100/s', bench: 'rest-invite-latency', goal: 10, unit: 'ms', lower: true, read: (b) => row(b, 'REST → INVITE p99')?.value },
  { target: 'websocket fan-out ≥ 50k msgs/s to 1,000 listeners', bench: 'websockets', goal: 50_000, unit: 'msgs/s', read: (b) => row(b, 'fan-out delivered')?.value },
  { target: 'websocket publish → receipt p99 ≤ 20 ms at 50 events/s', bench: 'websockets', goal: 20, unit: 'ms', lower: true, read: (b) => row(b, 'CHANNEL_ANSWER publish→receipt p99')?.value },
  { target: 'webhooks ≥ 2,000 deliveries/s across workers, order kept', bench: 'webhooks', goal: 2000, unit: '/s', read: (b) => orderedBest(b) },
];

/** Heap per held call, only when the hold phase held at least `calls` (the target is stated at 20,000). */
function heldAt(record, calls) {
  const r = row(record, 'media-node heap per concurrent call');
  return r && r.concurrent >= calls * 0.99 ? r.value : undefined;
}

/** The best worker-process row whose every call stayed in order with nothing lost. */
function orderedBest(record) {
  const ok = (record?.rows ?? []).filter((r) => r.metric.includes('worker processes') && r.orderHeld === true && r.lost === 0);
  return ok.length > 0 ? Math.max(...ok.map((r) => r.value)) : undefined;
}

async function dayFile(day) {
  if (day) return join(resultsDir, `${day}.json`);
  const days = (await readdir(resultsDir)).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort();
  if (days.length === 0) throw new Error('no day file in bench/results; run `node bench/run.mjs` first');
  return join(resultsDir, days.at(-1));
}

const doc = JSON.parse(await readFile(await dayFile(process.argv[2]), 'utf8'));
const b = doc.benches;
console.log(`Results of ${doc.date}: ${doc.machine.cpus} × ${doc.machine.model}, Node ${doc.machine.node}\n`);
console.log('| target | figure | met | bench started (load average) |');
console.log('| --- | --- | --- | --- |');
for (const t of TARGETS) {
  const value = t.read(b[t.bench]);
  const met = value === undefined ? 'not run' : (t.lower ? value <= t.goal : value >= t.goal) ? 'yes' : `no (${fmt(t.lower ? value / t.goal : t.goal / value, 2)}× off)`;
  const when = b[t.bench] ? `${b[t.bench].startedAt.slice(11, 16)} UTC (${b[t.bench].loadavgAtStart ?? 'not recorded'})` : '';
  console.log(`| ${t.target} | ${value === undefined ? 'not run' : `${fmt(value)} ${t.unit}`} | ${met} | ${when} |`);
}
const ceiling = row(b.kamailio, 'ceiling')?.value;
const sustained = row(b.originate, 'sustained')?.value;
if (ceiling && sustained) console.log(`\nKamailio stateful-proxy ceiling ${fmt(ceiling)} calls/s; Legwork originations sustained ${fmt(sustained)}/s = ${fmt((100 * sustained) / ceiling)} % of it.`);
const redis = row(b.originate, 'Redis memory per concurrent call');
if (redis) console.log(`Redis memory per held call: ${fmt(redis.value)} B (${fmt(redis.concurrent, 0)} calls).`);
for (const name of ['basix', 'voipnow', 'netaxis']) {
  const v = best(b[name], `${b[name]?.rows?.[0]?.metric ?? '?'}`);
  if (Number.isFinite(v)) console.log(`${name}: ${fmt(v)} originations/s, zero failures (best phase).`);
}
