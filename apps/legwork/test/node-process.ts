import { waitFor } from '@legwork/common/testing';
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
const APPS = ['legwork', 'api-gateway', 'media-node', 'webhooks', 'websockets'];

/** `npm test` builds first; a bare Jest run on a fresh checkout builds here. */
export function ensureBuilt(): void {
  if (APPS.every((app) => existsSync(join(ROOT, 'apps', app, 'dist', 'main.js')))) return;
  execSync('npx nx run-many -t build --outputStyle=stream', { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
}

/** Every port on 0 so the OS picks free ones: never collides with a running platform. */
export const FREE_PORTS = {
  API_GATEWAY_PORT: '0',
  WEBSOCKETS_PORT: '0',
  MEDIA_NODE_HTTP_PORT: '0',
  WEBHOOKS_PORT: '0',
  SIP_UDP_PORT: '0',
  SIP_TCP_PORT: '0',
  SIP_WS_PORT: '0',
};

const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

export class NodeProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  /** `on`: what runs a command elsewhere (another network namespace); by default it runs here. */
  constructor(script: string, env: Record<string, string>, on?: { command(cmd: string, args: readonly string[]): [string, string[]] }) {
    // Only a minimal inherited environment, so no AMQP_URL/REDIS_URL leaks in from the shell.
    const base = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
    const [cmd, args] = on?.command(process.execPath, [join(ROOT, script)]) ?? [process.execPath, [join(ROOT, script)]];
    this.child = spawn(cmd, args, { cwd: ROOT, env: { ...base, ...env } });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the first match in stdout; fails if the process exits or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 15000): Promise<RegExpMatchArray> {
    let done = false;
    void this.exited.then(() => (done = true));
    return waitFor(() => this.stdout.match(pattern), {
      timeoutMs,
      intervalMs: 50,
      abort: () => (done ? 'the process exited' : undefined),
      message: () => `${pattern} in output (exit ${this.child.exitCode})\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** Last resort in afterAll, even when a test failed half way. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** The URL a standalone app logs once it listens. */
export function listeningUrl(stdout: string): string | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'listening' && entry.url) return entry.url;
  }
  return undefined;
}
