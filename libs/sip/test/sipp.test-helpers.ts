import { ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIOS = join(__dirname, 'scenarios');

/** A port free on 127.0.0.1 for both UDP and TCP at the time of asking. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        const { port: p } = socket.address();
        socket.close(() => resolve(p));
      });
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (tcpFree) return port;
  }
}

export interface SippRun {
  child: ChildProcess;
  exited: Promise<{ code: number | null; output: string }>;
}

const running = new Set<ChildProcess>();

/** Spawns sipp bound to 127.0.0.1 with its own signalling and media ports; output is kept for failure messages. */
export async function startSipp(args: string[]): Promise<SippRun> {
  const port = await freePort();
  const media = await freePort();
  const child = spawn('sipp', [...args, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media), '-nostdin', '-timeout', '60s', '-timeout_error'], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ code, output });
    });
    child.once('error', (err) => {
      running.delete(child);
      resolve({ code: -1, output: String(err) });
    });
  });
  return Object.assign({ child, exited }, { port });
}

export function sippPortOf(run: SippRun): number {
  return (run as SippRun & { port: number }).port;
}

/** Kills every sipp still running (afterAll, also on failure). */
export function killAllSipp(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const SDP = ['v=0', 'o=legwork 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
