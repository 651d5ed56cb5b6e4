import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** A port free on 127.0.0.1 for both UDP and TCP at the time of asking. */
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

/** Whether a UDP port on 127.0.0.1 can be bound now. */
function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * A base for sipp's `-mp`: sipp binds the audio RTP port and the three after it (RTCP, video RTP and RTCP), so all four
 * must be free, not just the first (a taken neighbour makes sipp exit 254 at start).
 */
export async function freeMediaPort(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base > 65_530) continue;
    let free = true;
    for (let p = base + 1; p < base + 4 && free; p++) free = await udpFree(p);
    if (free) return base;
  }
}

export interface SippRun {
  child: ChildProcess;
  /** The SIP port sipp listens on. */
  port: number;
  exited: Promise<{ code: number | null; output: string }>;
}

const running = new Set<ChildProcess>();

/** Spawns sipp bound to 127.0.0.1 on its own free signalling and media ports; the output tail is kept for failure messages. */
export async function startSipp(args: string[], timeoutSeconds = 60): Promise<SippRun> {
  const [port, media] = [await freePort(), await freeMediaPort()];
  const child = spawn('sipp', [...args, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media), '-nostdin', '-timeout', `${timeoutSeconds}s`, '-timeout_error'], {
    cwd: tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
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
  return { child, port, exited };
}

/** Runs sipp once; resolves with its exit code and the tail of its output. */
export async function runSipp(args: string[], timeoutSeconds = 60): Promise<{ code: number | null; output: string }> {
  return (await startSipp(args, timeoutSeconds)).exited;
}

/** Kills every sipp still running (afterAll, also after a failed test). */
export function killAllSipp(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
