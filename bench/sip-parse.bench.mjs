// Parse throughput of one realistic INVITE: @legwork/sip against sip.js and sip (npm), single core;
// plus a ~20 KB message whose headers are folded every few characters, against the same headers unfolded.
/* global URL, console, process */
import { Buffer } from 'node:buffer';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));

const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

export const INVITE = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds.1f2e;rport',
    'Max-Forwards: 70',
    'From: "Alice Liddell" <sip:alice@atlanta.example.com>;tag=1928301774a',
    'To: "Bob" <sip:bob@biloxi.example.com>',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@192.0.2.101:5060;transport=udp;ob>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, MESSAGE, PRACK',
    'Supported: replaces, timer, 100rel, path, outbound',
    'User-Agent: Bench-Phone/1.4',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n'),
);

const FOLD_HEAD = [
  'OPTIONS sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/TCP 192.0.2.101:5060;branch=z9hG4bK776asdhds.fold',
  'Max-Forwards: 70',
  'From: <sip:alice@atlanta.example.com>;tag=1928301774a',
  'To: <sip:bob@biloxi.example.com>',
  'Call-ID: folded-bench@pc33.atlanta.example.com',
  'CSeq: 1 OPTIONS',
];

/** Three 3,900-character headers, as continuation lines of three characters (folded) or on one line each (plain). */
function bigHeaders(fold) {
  const lines = [...FOLD_HEAD];
  for (let h = 0; h < 3; h++) {
    const words = Array.from({ length: 1300 }, (_, i) => `w${i % 10}`);
    lines.push(fold ? [`X-Folded-${h}: start`, ...words.map((w) => ` ${w}`)].join('\r\n') : `X-Folded-${h}: start ${words.join(' ')}`);
  }
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'));
}

export const FOLDED = bigHeaders(true);
export const UNFOLDED = bigHeaders(false);

const silent = { debug() {}, log() {}, warn() {}, error() {} };

async function loadParsers() {
  // The message layer alone, as sip.js and sip are loaded alone (the full index pulls in ioredis, see below).
  const legwork = require('@legwork/sip/dist/message/sip-parser.js');
  const sipjs = await import('sip.js/lib/core/index.js');
  const sip = require('sip');
  return [
    {
      name: '@legwork/sip',
      parse(buf) {
        const r = legwork.parseSipMessage(buf);
        if (!r.ok) throw r.error;
        const m = r.value;
        return m.via.branch.length + m.callId.length + m.cseq.seq + m.fromTag.length;
      },
    },
    {
      name: 'sip.js',
      parse(buf) {
        const m = sipjs.Parser.parseMessage(buf.toString('utf8'), silent);
        return m.via.branch.length + m.callId.length + m.cseq + m.fromTag.length;
      },
    },
    {
      name: 'sip',
      parse(buf) {
        const m = sip.parse(buf);
        return m.headers.via[0].params.branch.length + m.headers['call-id'].length + m.headers.cseq.seq + m.headers.from.params.tag.length;
      },
    },
  ];
}

function measure(parser, seconds, message = INVITE, batch = 200) {
  let sink = 0;
  const warmEnd = performance.now() + Math.min(500, seconds * 250);
  while (performance.now() < warmEnd) for (let i = 0; i < batch / 2; i++) sink += parser.parse(message);
  let ops = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink += parser.parse(message);
    ops += batch;
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  return { ops, seconds: Number(elapsed.toFixed(3)), msgsPerSec: Math.round(ops / elapsed), usPerMsg: Number(((elapsed * 1e6) / ops).toFixed(3)), sink };
}

export async function run(options = {}) {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 2);
  const parsers = await loadParsers();
  const figures = {};
  for (const parser of parsers) {
    const result = measure(parser, seconds);
    // the sink keeps the parse results observable so the JIT cannot drop the work
    if (result.sink === 0) throw new Error(`${parser.name} produced nothing`);
    delete result.sink;
    figures[parser.name] = result;
  }
  const ours = parsers[0];
  const folding = { [`folded ${FOLDED.length} B`]: measure(ours, seconds, FOLDED, 20), [`unfolded ${UNFOLDED.length} B`]: measure(ours, seconds, UNFOLDED, 20) };
  // Loading ioredis 6 (as every media node does) slows String.prototype methods process-wide (see the findings notes).
  require('ioredis');
  const loaded = measure(ours, seconds);
  delete loaded.sink;
  figures['@legwork/sip (ioredis loaded)'] = loaded;
  folding[`folded ${FOLDED.length} B (ioredis loaded)`] = measure(ours, seconds, FOLDED, 20);
  for (const f of Object.values(folding)) delete f.sink;
  const oursPerSec = figures['@legwork/sip'].msgsPerSec;
  const results = {
    benchmark: 'sip-parse',
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    messageBytes: INVITE.length,
    secondsPerParser: seconds,
    parsers: figures,
    folding,
    ratios: {
      'legwork/sip.js': Number((oursPerSec / figures['sip.js'].msgsPerSec).toFixed(1)),
      'legwork/sip': Number((oursPerSec / figures.sip.msgsPerSec).toFixed(1)),
    },
    floorMsgsPerSec: 100000,
    meetsFloor: oursPerSec >= 100000,
  };
  console.log(`sip-parse: ${INVITE.length}-byte INVITE, ${seconds}s per parser, ${results.node}, ${results.cpu}`);
  console.table(Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, { 'msgs/s': f.msgsPerSec, 'µs/msg': f.usPerMsg, ops: f.ops }])));
  console.log('@legwork/sip on a message with folded headers and on the same headers unfolded:');
  console.table(Object.fromEntries(Object.entries(folding).map(([name, f]) => [name, { 'msgs/s': f.msgsPerSec, 'µs/msg': f.usPerMsg, ops: f.ops }])));
  console.log(`ours / sip.js = ${results.ratios['legwork/sip.js']}x, ours / sip = ${results.ratios['legwork/sip']}x, floor 100000 msgs/s ${results.meetsFloor ? 'met' : 'NOT met'}`);
  await mkdir(`${here}results`, { recursive: true });
  await writeFile(`${here}results/sip-parse-latest.json`, JSON.stringify(results, null, 2) + '\n');
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
