/* global console, process */
// Parses the sip-parse bench's INVITE N times, optionally with ioredis required first, for an
// instruction-count comparison that the machine's load cannot skew:
//   valgrind --tool=callgrind node --single-threaded-gc bench/sip-parse-count.mjs <N> [ioredis] [parser module]
// Ir per message = (Ir at N2 - Ir at N1) / (N2 - N1); start-up and JIT warm-up cancel out. One GC thread: parallel
// GC helpers spin while they wait for a core, which a loaded machine turns into instructions of its own.
import { createRequire } from 'node:module';
import { INVITE } from './sip-parse.bench.mjs';

const require = createRequire(import.meta.url);
const n = Number(process.argv[2] ?? 10000);
if (process.argv[3] === 'ioredis') require('ioredis');
// another build of the parser (an older commit's) can be given by path
const { parseSipMessage } = require(process.argv[4] ?? '@legwork/sip/dist/message/sip-parser.js');

let sink = 0;
// process CPU time, a second figure that load skews far less than wall time does (not meaningful under valgrind)
const cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const r = parseSipMessage(INVITE);
  if (!r.ok) throw r.error;
  const m = r.value;
  sink += m.via.branch.length + m.callId.length + m.cseq.seq + m.fromTag.length;
}
const cpu = process.cpuUsage(cpu0);
const us = (cpu.user + cpu.system) / n;
console.log(`parsed ${n}${process.argv[3] === 'ioredis' ? ' (ioredis loaded)' : ''}: ${us.toFixed(2)} CPU µs/msg (${Math.round(1e6 / us)} msgs/CPU-s), sink ${sink}`);
