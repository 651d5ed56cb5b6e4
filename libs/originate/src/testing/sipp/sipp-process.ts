import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** A port free on 127.0.0.1 for both UDP and TCP when asked. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        const p = socket.address().port;
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

const running = new Set<ChildProcess>();

/** Runs sipp once bound to 127.0.0.1 on its own free ports; resolves with its exit code and the tail of its output. */
export async function runSipp(args: string[]): Promise<{ code: number | null; output: string }> {
  const [port, media] = [await freePort(), await freePort()];
  const child = spawn('sipp', [...args, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media), '-nostdin', '-timeout', '30s', '-timeout_error'], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve) => {
    child.once('error', (err) => resolve({ code: -1, output: String(err) }));
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ code, output });
    });
  });
}

/** afterAll, also after a failed test. */
export function killSipp(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
