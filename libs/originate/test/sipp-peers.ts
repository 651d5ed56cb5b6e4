import { type ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Real SIP peers for end-to-end tests: sipp processes on 127.0.0.1 driven by the scenarios beside this file. */

const SCENARIOS = path.join(__dirname, 'scenarios');
const HOST = '127.0.0.1';

export type PhoneBehaviour = 'answer' | 'busy' | 'noanswer' | 'reject';

export interface PhoneOptions {
  username: string;
  password: string;
  /** The registrar, "host:port". */
  registrar: string;
  realm: string;
  scenarioAnswer?: PhoneBehaviour;
  transport?: 'udp' | 'tcp';
  /** How long `answer` rings before its 200 (default 100 ms); a CANCEL meanwhile is honoured. */
  answerDelayMs?: number;
  /** `answer` hangs up itself this long after the ACK (default never: waits for our BYE). */
  byeAfterMs?: number;
  /** Extra Contact URI parameters, e.g. ";pn-provider=apns;pn-prid=abc" (RFC 8599 devices). */
  contactParams?: string;
}

export interface SippPhone {
  port: number;
  username: string;
  waitRegistered(timeoutMs?: number): Promise<void>;
  /** Every SIP message the phone sent or received so far (sipp's message log). */
  messages(): string;
  stop(): Promise<void>;
}

export interface SeenInvite {
  requestLine: string;
  headers: Record<string, string[]>;
  sdp: string;
}

export interface SippCarrier {
  host: string;
  port: number;
  /** The INVITEs received so far (retransmissions folded), oldest first. */
  invites(): SeenInvite[];
  messages(): string;
  stop(): Promise<void>;
}

const PHONE_SCENARIOS: Record<PhoneBehaviour, string> = {
  answer: 'phone-answer.xml',
  busy: 'phone-busy.xml',
  noanswer: 'phone-ring-noanswer.xml',
  reject: 'phone-reject.xml',
};

/** A port free for both UDP and TCP on 127.0.0.1 (sipp binds the one it is given). */
export async function freePort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, HOST, () => resolve(udp.address().port));
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, HOST, () => srv.close(() => resolve(true)));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) return port;
  }
}

class SippProcess {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legwork-sipp-'));
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  exitCode: number | null | undefined;

  file(name: string): string {
    return path.join(this.dir, name);
  }

  start(args: string[]): void {
    const child = spawn('sipp', [...args, '-nostdin', '-trace_msg', '-message_file', this.file('messages.log'), '-trace_err', '-error_file', this.file('errors.log')], {
      cwd: this.dir,
      stdio: 'ignore',
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
      child.once('error', () => {
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  read(name: string): string {
    try {
      return fs.readFileSync(this.file(name), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.child !== undefined && this.exitCode === undefined) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child?.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(killer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function until(check: () => boolean, failed: () => string | undefined, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return;
    const failure = failed();
    if (failure !== undefined) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The answering scenario, with the ANSWER_DELAY / BYE_AFTER timeouts set for this phone. */
function answering(sipp: SippProcess, opts: PhoneOptions): string {
  const behaviour = opts.scenarioAnswer ?? 'answer';
  if (behaviour !== 'answer') return path.join(SCENARIOS, PHONE_SCENARIOS[behaviour]);
  const xml = fs
    .readFileSync(path.join(SCENARIOS, PHONE_SCENARIOS.answer), 'utf8')
    .replace(/timeout="\d+"( ontimeout="answer")/, `timeout="${Math.max(1, opts.answerDelayMs ?? 100)}"$1`)
    .replace(/timeout="\d+"( ontimeout="hangup")/, `timeout="${opts.byeAfterMs ?? 36_000_000}"$1`);
  const file = sipp.file('phone-answer.xml');
  fs.writeFileSync(file, xml);
  return file;
}

/** A phone: registers (digest; sipp answers only an MD5 challenge offered first) with the registrar, then handles calls per its behaviour. */
export async function startPhone(opts: PhoneOptions): Promise<SippPhone> {
  const sipp = new SippProcess();
  const port = await freePort();
  const mediaPort = await freePort();
  fs.writeFileSync(sipp.file('credentials.csv'), `SEQUENTIAL\n${opts.username};${opts.password};${opts.realm};\n`);
  const flag = sipp.file('registered');
  sipp.start([
    opts.registrar,
    '-sf', path.join(SCENARIOS, 'phone-register.xml'),
    '-oocsf', answering(sipp, opts),
    '-inf', sipp.file('credentials.csv'),
    '-i', HOST, '-p', String(port), '-mp', String(mediaPort),
    '-t', opts.transport === 'tcp' ? 't1' : 'u1',
    '-s', opts.username,
    '-au', opts.username, '-ap', opts.password,
    '-m', '1',
    '-key', 'reg_flag', flag,
    '-key', 'contact_params', opts.contactParams ?? '',
  ]);
  return {
    port,
    username: opts.username,
    waitRegistered: (timeoutMs = 5000) =>
      until(
        () => fs.existsSync(flag),
        () => (sipp.exitCode !== undefined ? `sipp exited with ${String(sipp.exitCode)}: ${sipp.read('errors.log').slice(-2000)}` : undefined),
        timeoutMs,
        `phone ${opts.username} registration`,
      ),
    messages: () => sipp.read('messages.log'),
    stop: () => sipp.stop(),
  };
}

/** A carrier gateway: answers (and records) INVITEs, or refuses them with 503. */
export async function startCarrier(opts: { behaviour: 'answer' | '503' }): Promise<SippCarrier> {
  const sipp = new SippProcess();
  const port = await freePort();
  const mediaPort = await freePort();
  sipp.start(['-sf', path.join(SCENARIOS, opts.behaviour === 'answer' ? 'carrier-answer.xml' : 'carrier-503.xml'), '-i', HOST, '-p', String(port), '-mp', String(mediaPort), '-t', 'u1', '-s', 'carrier']);
  // a UAS scenario gives no sign of life: wait until its port is taken
  await until(() => !udpPortFree(port), () => (sipp.exitCode !== undefined ? `sipp exited with ${String(sipp.exitCode)}` : undefined), 5000, 'carrier start');
  return {
    host: HOST,
    port,
    invites: () => parseInvites(sipp.read('messages.log')),
    messages: () => sipp.read('messages.log'),
    stop: () => sipp.stop(),
  };
}

function udpPortFree(port: number): boolean {
  try {
    const probe = fs.readFileSync('/proc/net/udp', 'utf8');
    return !probe.includes(`:${port.toString(16).toUpperCase().padStart(4, '0')} `);
  } catch {
    return false;
  }
}

/** INVITE requests found in a sipp message log. */
export function parseInvites(log: string): SeenInvite[] {
  const seen = new Set<string>();
  const invites: SeenInvite[] = [];
  for (const block of log.split(/^-{10,}.*$/m)) {
    const match = /message received \[\d+\] bytes :\r?\n\r?\n([\s\S]*)$/.exec(block);
    const text = match?.[1]?.replace(/^\s+/, '');
    if (text === undefined || !text.startsWith('INVITE ') || seen.has(text.trim())) continue;
    seen.add(text.trim());
    const [head = '', ...body] = text.split(/\r?\n\r?\n/);
    const [requestLine = '', ...lines] = head.split(/\r?\n/);
    const headers: Record<string, string[]> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      (headers[name] ??= []).push(line.slice(colon + 1).trim());
    }
    invites.push({ requestLine, headers, sdp: body.join('\n\n').trim() });
  }
  return invites;
}
