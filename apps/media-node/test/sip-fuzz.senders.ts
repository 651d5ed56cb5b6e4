import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { SipMutator, retargetVia } from '@legwork/sip/testing';

/** What one transport's run sent and what came back. */
export interface FuzzTally {
  transport: 'udp' | 'tcp' | 'ws';
  sent: number;
  /** Responses the node sent back, by status code. */
  answered: Record<string, number>;
  /** Valid OPTIONS sent between batches that got their 200. */
  probes: number;
  connections: number;
}

export interface FuzzRun {
  host: string;
  port: number;
  /** A loopback address of its own, so the node's per-source limits and throttles never touch the valid traffic. */
  source: string;
  count: number;
  seed: number;
}

// a status line starts a datagram, a WebSocket message, or a stream's next message (the node's answers carry no body)
const STATUS = /(?:^|\r\n\r\n)SIP\/2\.0 (\d{3}) /g;
const PROBE_TIMEOUT_MS = 20_000;

function tally(transport: FuzzTally['transport']): FuzzTally {
  return { transport, sent: 0, answered: {}, probes: 0, connections: 0 };
}

function countAnswers(t: FuzzTally, data: Buffer | string): void {
  for (const m of data.toString('latin1').matchAll(STATUS)) t.answered[m[1]] = (t.answered[m[1]] ?? 0) + 1;
}

function options(transport: string, sentBy: string, target: string, callId: string): Buffer {
  const lines = [
    `OPTIONS sip:${target} SIP/2.0`, `Via: SIP/2.0/${transport} ${sentBy};rport;branch=z9hG4bK${randomBytes(8).toString('hex')}`, 'Max-Forwards: 70',
    `From: <sip:fuzz-probe@${sentBy}>;tag=${randomBytes(4).toString('hex')}`, `To: <sip:${target}>`, `Call-ID: ${callId}`, 'CSeq: 1 OPTIONS', 'Content-Length: 0',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
}

function mutator(run: FuzzRun, transport: string, sentBy: () => string, maxSize: number): SipMutator {
  return new SipMutator(run.seed, { maxSize, prepare: (base) => retargetVia(base, transport, sentBy(), randomBytes(6).toString('hex')) });
}

/** Resolves once `seen()` says the probe's 200 came back, resending it (UDP may drop under a burst). */
function awaitProbe(seen: () => boolean, resend: (() => void) | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let lastSent = started;
    const timer = setInterval(() => {
      if (seen()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > PROBE_TIMEOUT_MS) {
        clearInterval(timer);
        reject(new Error(`no 200 to the ${what} probe OPTIONS`));
      } else if (resend !== undefined && Date.now() - lastSent >= 500) {
        lastSent = Date.now();
        resend();
      }
    }, 20);
  });
}

/** Datagrams in batches; after each batch a valid OPTIONS must be answered 200 before the next. */
export async function fuzzUdp(run: FuzzRun, batch = 100): Promise<FuzzTally> {
  const t = tally('udp');
  const socket = createSocket('udp4');
  const answered = new Set<string>();
  socket.on('message', (data) => {
    countAnswers(t, data);
    const text = data.toString('latin1');
    const callId = /\r\nCall-ID: *(fuzz-probe-[0-9a-f]+)/i.exec(text)?.[1];
    if (callId !== undefined && text.startsWith('SIP/2.0 200 ')) answered.add(callId);
  });
  await new Promise<void>((resolve) => socket.bind(0, run.source, () => resolve()));
  const sentBy = `${run.source}:${socket.address().port}`;
  const inputs = mutator(run, 'UDP', () => sentBy, 60_000);
  const send = (bytes: Buffer): Promise<void> => new Promise((resolve) => socket.send(bytes, run.port, run.host, () => resolve()));
  try {
    while (t.sent < run.count) {
      const n = Math.min(batch, run.count - t.sent);
      await Promise.all(Array.from({ length: n }, () => send(inputs.next().bytes)));
      t.sent += n;
      const callId = `fuzz-probe-${randomBytes(6).toString('hex')}`;
      const probe = options('UDP', sentBy, `${run.host}:${run.port}`, callId);
      await send(probe);
      await awaitProbe(() => answered.has(callId), () => void send(probe), 'UDP');
      t.probes++;
    }
  } finally {
    socket.close();
  }
  return t;
}

function tcpConnection(run: FuzzRun, t: FuzzTally): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: run.host, port: run.port, localAddress: run.source }, () => resolve(socket));
    t.connections++;
    socket.on('data', (d: Buffer) => countAnswers(t, d));
    socket.once('error', reject);
  });
}

/** Streams of `perConnection` messages, one connection at a time; a valid OPTIONS on a fresh connection every 10. */
export async function fuzzTcp(run: FuzzRun, perConnection = 20): Promise<FuzzTally> {
  const t = tally('tcp');
  let local = '';
  const inputs = mutator(run, 'TCP', () => local, 60_000);
  for (let conn = 0; t.sent < run.count; conn++) {
    const socket = await tcpConnection(run, t);
    local = `${run.source}:${socket.localPort ?? 9}`;
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const n = Math.min(perConnection, run.count - t.sent);
    socket.end(Buffer.concat(Array.from({ length: n }, () => inputs.next().bytes)));
    t.sent += n;
    // a connection the node keeps waiting on a message it will never finish is its deadline's to close; ours too
    const guard = setTimeout(() => socket.destroy(), 15_000);
    await closed;
    clearTimeout(guard);
    if (conn % 10 === 9 || t.sent >= run.count) {
      await probeStream(run, t);
      t.probes++;
    }
  }
  return t;
}

async function probeStream(run: FuzzRun, t: FuzzTally): Promise<void> {
  const socket = await tcpConnection(run, t);
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  const callId = `fuzz-probe-${randomBytes(6).toString('hex')}`;
  socket.write(options('TCP', `${run.source}:${socket.localPort ?? 9}`, `${run.host}:${run.port};transport=tcp`, callId));
  try {
    await awaitProbe(() => text.startsWith('SIP/2.0 200 ') && text.includes(callId), undefined, 'TCP');
  } finally {
    socket.destroy();
  }
}

/** WebSocket connections of `perConnection` messages each, closed by a valid OPTIONS that must be answered on the same socket. */
export async function fuzzWs(run: FuzzRun, perConnection = 500): Promise<FuzzTally> {
  const t = tally('ws');
  // a WebSocket client has no address to be reached at (RFC 7118 §5.2)
  const sentBy = 'fuzz-ws.invalid';
  const inputs = mutator(run, 'WS', () => sentBy, 60_000);
  while (t.sent < run.count) {
    const ws = new WebSocket(`ws://${run.host}:${run.port}/`, 'sip', { localAddress: run.source });
    t.connections++;
    const answered = new Set<string>();
    ws.on('message', (data: Buffer) => {
      countAnswers(t, data);
      const text = data.toString('latin1');
      const callId = /\r\nCall-ID: *(fuzz-probe-[0-9a-f]+)/i.exec(text)?.[1];
      if (callId !== undefined && text.startsWith('SIP/2.0 200 ')) answered.add(callId);
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('close', () => reject(new Error('WebSocket closed before it opened')));
    });
    const n = Math.min(perConnection, run.count - t.sent);
    for (let i = 0; i < n; i++) ws.send(inputs.next().bytes);
    t.sent += n;
    // messages on one WebSocket are handled in order: the probe's 200 proves the rest were consumed
    const callId = `fuzz-probe-${randomBytes(6).toString('hex')}`;
    ws.send(options('WS', sentBy, `${run.host}:${run.port};transport=ws`, callId));
    await awaitProbe(() => answered.has(callId), undefined, 'WS');
    t.probes++;
    ws.close();
    await closed;
  }
  return t;
}
