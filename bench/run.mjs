/* global process, console */
// Runs benchmarks (not tests) and records their figures: `node bench/run.mjs [name...]`.
// Each `<name>.bench.mjs` beside this file exports `name`, `description` and `run({ log })`,
// which resolves to `{ rows: [{ metric, value, unit, ...details }], meta? }`; this runner prints those
// as a table and writes results/<name>-<ISO time>.json and results/<name>-latest.json. A bench that
// resolves to anything else is taken to have printed and recorded its own figures.
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  for (const name of wanted.length > 0 ? wanted : all) {
    const mod = await import(pathToFileURL(join(here, `${name}.bench.mjs`)).href);
    const startedAt = new Date();
    console.log(`\n[${name}] ${mod.description ?? ''}`);
    try {
      const outcome = await mod.run({ log: (msg) => console.log(`[${name}] ${msg}`) });
      if (!Array.isArray(outcome?.rows)) continue;
      const { rows, meta = {} } = outcome;
      printTable(name, rows);
      const record = { bench: name, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), node: process.version, meta, rows };
      const json = `${JSON.stringify(record, null, 2)}\n`;
      const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
      await writeFile(join(resultsDir, `${name}-${stamp}.json`), json);
      await writeFile(join(resultsDir, `${name}-latest.json`), json);
    } catch (err) {
      failed++;
      console.error(`[${name}] failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

await main();
