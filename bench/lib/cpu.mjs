/* global process */
// CPU use of child processes from /proc, and of the bench itself, as percent of one core over a phase.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return NaN; // exited: its figure is reported as NaN rather than failing the run
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Starts a phase over `procs` ({ label, proc }); the returned function gives each one's percent, plus `bench`. */
export function cpuSampler(procs) {
  const read = () => Object.fromEntries([...procs.map((p) => [p.label, cpuSeconds(p.proc.pid)]), ['bench', (process.cpuUsage().user + process.cpuUsage().system) / 1e6]]);
  const start = read();
  const t0 = performance.now();
  return () => {
    const end = read();
    const wall = (performance.now() - t0) / 1000;
    return Object.fromEntries(Object.keys(end).map((k) => [k, Math.round(((end[k] - start[k]) / wall) * 100)]));
  };
}
