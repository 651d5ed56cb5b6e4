import { waitFor } from '@legwork/common/testing';
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'media-node', 'dist', 'main.js');
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG'];

/** `npm test` builds first; a bare Jest run on a fresh checkout builds the media node (and its libs) here. */
export function ensureMediaNodeBuilt(): void {
  if (existsSync(MAIN)) return;
  execSync('npx nx run media-node:build --outputStyle=stream', { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
}

export interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

/** `node apps/media-node/dist/main.js` as a child process, with its JSON log kept for assertions. */
export class MediaNodeChild {
  private stdout = '';
  private stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly nodeId: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-8000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Only a minimal inherited environment, so nothing from the shell (AMQP_URL, ports) leaks in. */
  static start(nodeId: string, env: Record<string, string>): MediaNodeChild {
    const base = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, String(process.env[k])]));
    const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...base, ...env, NODE_ID: nodeId }, stdio: ['ignore', 'pipe', 'pipe'] });
    return new MediaNodeChild(nodeId, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Parsed JSON log lines so far. */
  logs(): LogLine[] {
    const lines: LogLine[] = [];
    for (const line of this.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // a line still being written
      }
    }
    return lines;
  }

  /** The first log line matching, waiting for it; fails with the output when the process exits first. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    return waitFor(() => this.logs().find(match), {
      timeoutMs,
      intervalMs: 50,
      abort: () => (this.child.exitCode !== null || this.child.signalCode !== null ? 'the process exited' : undefined),
      message: () => `${this.nodeId}: a matching log line (exit ${String(this.child.exitCode)})\n${this.stdout.slice(-4000)}\n${this.stderr}`,
    });
  }

  /** UDP SIP port from the `sip listening` line, e.g. `udp:127.0.0.1:40123`. */
  sipUdpPort(): Promise<number> {
    return this.sipPort('udp');
  }

  /** The SIP port of one transport from the `sip listening` line. */
  async sipPort(protocol: 'udp' | 'tcp' | 'ws'): Promise<number> {
    const line = await this.waitForLog((l) => l.msg === 'sip listening');
    const entry = (line['sip'] as string[]).find((s) => s.startsWith(`${protocol}:`)) ?? '';
    return Number(entry.slice(entry.lastIndexOf(':') + 1));
  }

  /** The HTTP base URL (/healthz, /metrics) from the `listening` line. */
  async httpUrl(): Promise<string> {
    return String((await this.waitForLog((l) => l.msg === 'listening' && typeof l['url'] === 'string'))['url']);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.signal(signal);
    return this.exited;
  }

  get output(): string {
    return `${this.stdout.slice(-4000)}\n${this.stderr}`;
  }
}
