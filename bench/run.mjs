/* global process, console */
// Runs benchmarks (not tests) and records their figures: `node bench/run.mjs [name...]`.
// Each `<name>.bench.mjs` beside this file exports `name`, `description` and `run({ log })`,
// which resolves to `{ rows: [{ metric, value, unit, ...details }], meta? }`; this runner prints those
// as a table and writes results/<name>-<ISO time>.json and results/<name>-latest.json. A bench that
// resolves to anything else is taken to have printed and recorded its own figures (kept as its record's `result`).
// Every bench of the run also goes into results/<YYYY-MM-DD>.json (one entry per bench, the day's last run of each),
// and an originate ramp into results/<YYYY-MM-DD>.svg and results/latest.svg.
// Each record keeps the 1-minute load average at its start (`loadavgAtStart`): the machine may be shared.
// run({ log, earlier }): `earlier` holds the records of the benches that already ran in this run, by name.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rampOf, rampSvg } from './lib/chart.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');

async function available() {
  const files = await readdir(here);
  return files.filter((f) => f.endsWith('.bench.mjs')).map((f) => f.slice(0, -'.bench.mjs'.length)).sort();
}

function printTable(name, rows) {
  const cols = ['metric', 'value', 'unit', 'detail'];
  const lines = rows.map((r) => {
    const { metric, value, unit, ...rest } = r;
    const detail = Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(' ');
    return [metric, typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : String(value), unit, detail];
  });
  const widths = cols.map((c, i) => Math.max(c.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(`\n== ${name} ==`);
  console.log(fmt(cols));
  console.log(fmt(widths.map((w) => '-'.repeat(w))));
  for (const l of lines) console.log(fmt(l));
}

/** The benches, loaded, each after those of the run that it names in its `after` export (kamailio compares with originate). */
async function inOrder(names) {
  const mods = new Map();
  for (const name of names) mods.set(name, await import(pathToFileURL(join(here, `${name}.bench.mjs`)).href));
  const ordered = [];
  const visit = (name, seen = new Set()) => {
    if (ordered.some(([n]) => n === name) || seen.has(name)) return;
    seen.add(name);
    for (const dep of mods.get(name).after ?? []) if (mods.has(dep)) visit(dep, seen);
    ordered.push([name, mods.get(name)]);
  };
  for (const name of names) visit(name);
  return ordered;
}

/** The machine the figures come from, as the README quotes it. */
function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', node: process.version, loadavg: os.loadavg().map((l) => Number(l.toFixed(2))) };
}

/** Merges this run's records into the day's file, and charts the originate ramp when there is one. */
async function writeDay(startedAt, records) {
  const day = startedAt.toISOString().slice(0, 10);
  const file = join(resultsDir, `${day}.json`);
  let doc = { date: day, benches: {} };
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // first run of the day
  }
  Object.assign(doc.benches, records);
  doc.machine = machine();
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  const steps = rampOf(doc.benches.originate);
  if (steps.length === 0) return;
  const svg = rampSvg(steps, { title: `originate ramp, ${doc.benches.originate.startedAt.slice(0, 10)}`, subtitle: `${doc.machine.cpus} × ${doc.machine.model}, Node ${doc.machine.node}, load average ${doc.machine.loadavg[0]} at the end` });
  await writeFile(join(resultsDir, `${day}.svg`), svg);
  await writeFile(join(resultsDir, 'latest.svg'), svg);
}

async function main() {
  const all = await available();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')} (available: ${all.join(', ')})`);
    process.exit(2);
  }
  await mkdir(resultsDir, { recursive: true });
  let failed = 0;
  const runStarted = new Date();
  const records = {};
  for (const [name, mod] of await inOrder(wanted.length > 0 ? wanted : all)) {
    const startedAt = new Date();
    const loadavgAtStart = Number(os.loadavg()[0].toFixed(2));
    console.log(`\n[${name}] ${mod.description ?? ''}`);
    try {
      const outcome = await mod.run({ log: (msg) => console.log(`[${name}] ${msg}`), earlier: { ...records } });
      if (!Array.isArray(outcome?.rows)) {
        records[name] = { bench: name, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), loadavgAtStart, node: process.version, result: outcome ?? null };
        continue;
      }
      const { rows, meta = {} } = outcome;
      printTable(name, rows);
      const record = { bench: name, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), loadavgAtStart, node: process.version, meta, rows };
      records[name] = record;
      const json = `${JSON.stringify(record, null, 2)}\n`;
      const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
      await writeFile(join(resultsDir, `${name}-${stamp}.json`), json);
      await writeFile(join(resultsDir, `${name}-latest.json`), json);
    } catch (err) {
      failed++;
      console.error(`[${name}] failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  if (Object.keys(records).length > 0) await writeDay(runStarted, records);
  process.exit(failed > 0 ? 1 : 0);
}

await main();
