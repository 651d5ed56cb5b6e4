// Calls per second a SipStack UAS on UDP sustains against sipp's built-in uac, with zero failed calls.
/* global URL, console, process */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));

export const name = 'sip-calls';
export const description = 'SipStack UAS (UDP) under sipp -sn uac at rising call rates; highest rate with zero failed calls';

const SDP = ['v=0', 'o=bench 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

/** The root export of @legwork/sip, or its built modules when the root does not re-export the UA core yet. */
function loadSip() {
  const root = require('@legwork/sip');
  const SipStack = root.SipStack ?? require('@legwork/sip/dist/ua/sip-stack.js').SipStack;
  const createTransportLayer = root.createTransportLayer ?? require('@legwork/sip/dist/transport/transport-layer.js').createTransportLayer;
  return { SipStack, createTransportLayer };
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Last "Successful call" / "Failed call" cumulative counters of sipp's final screen. */
function summary(output) {
  const pick = (label) => {
    const matches = [...output.matchAll(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g'))];
    return matches.length > 0 ? Number(matches.at(-1)[1]) : undefined;
  };
  return { successful: pick('Successful call'), failed: pick('Failed call') };
}

async function runSipp(target, rate, calls, timeoutS) {
  const port = await freeUdpPort();
  const media = await freeUdpPort();
  const args = ['-sn', 'uac', target, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media), '-t', 'u1', '-r', String(rate), '-m', String(calls), '-d', '0', '-l', String(rate * 4), '-nostdin', '-timeout', `${timeoutS}s`, '-timeout_error'];
  const child = spawn('sipp', args, { cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d.toString()).slice(-50_000)));
  child.stderr.on('data', (d) => (output = (output + d.toString()).slice(-50_000)));
  const started = Date.now();
  const code = await new Promise((resolve) => {
    child.once('exit', (c) => resolve(c ?? -1));
    child.once('error', () => resolve(-1));
  });
  return { code, seconds: (Date.now() - started) / 1000, ...summary(output) };
}

export async function run(options = {}) {
  const log = options.log ?? ((msg) => console.log(msg));
  const seconds = Number(process.env.SIP_BENCH_SECONDS ?? 10);
  const rates = (process.env.SIP_BENCH_RATES ?? '100,200,400,800').split(',').map(Number);
  const { SipStack, createTransportLayer } = loadSip();
  const transport = await createTransportLayer({ udp: { host: '127.0.0.1', port: 0 } });
  const stack = new SipStack({ transport, userAgent: 'legwork-bench' });
  let answered = 0;
  stack.onRequest('INVITE', (inv) => {
    answered++;
    inv.accept({ body: SDP }).catch(() => undefined);
  });
  const port = transport.listening().find((l) => l.protocol === 'udp').port;
  const rows = [];
  let best = 0;
  try {
    for (const rate of rates) {
      const calls = rate * seconds;
      log(`rate ${rate}/s: ${calls} calls`);
      const result = await runSipp(`127.0.0.1:${port}`, rate, calls, seconds + 30);
      const ok = result.code === 0 && (result.failed ?? 0) === 0;
      log(`rate ${rate}/s: exit ${result.code}, successful ${result.successful}, failed ${result.failed}, ${result.seconds.toFixed(1)} s`);
      rows.push({ metric: `calls at ${rate}/s`, value: result.successful ?? 0, unit: 'calls', failed: result.failed ?? 'n/a', sippExit: result.code, seconds: result.seconds.toFixed(1) });
      if (!ok) break;
      best = rate;
    }
  } finally {
    await stack.close();
    await transport.close();
  }
  rows.unshift({ metric: 'highest rate with zero failed calls', value: best, unit: 'calls/s', answered });
  log(`highest rate sustained with zero failed calls: ${best} calls/s`);
  const record = { bench: name, startedAt: new Date().toISOString(), node: process.version, meta: { cpus: os.cpus().length, secondsPerRate: seconds, rates }, rows };
  await mkdir(`${here}results`, { recursive: true });
  await writeFile(`${here}results/sip-calls-latest.json`, `${JSON.stringify(record, null, 2)}\n`);
  return { rows, meta: record.meta };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
