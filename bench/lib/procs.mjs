// Child processes (apps, sipp) and free ports for the benches that drive whole processes.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A child whose output is kept (the head of stdout for banners, a tail of both streams), killed with SIGKILL at the end. */
export function child(label, cmd, args, options = {}) {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const out = { stdout: '', tail: '' };
  proc.stdout.on('data', (d) => {
    if (out.stdout.length < 20_000) out.stdout += d.toString();
    out.tail = (out.tail + d.toString()).slice(-6000);
  });
  proc.stderr.on('data', (d) => (out.tail = (out.tail + d.toString()).slice(-6000)));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  return { label, proc, exited, out, tail: () => out.tail, kill: () => (proc.exitCode === null && proc.signalCode === null ? proc.kill('SIGKILL') : undefined) };
}

/** A sipp launcher on 127.0.0.1 with its own SIP and media ports, run from `cwd` (where it writes its logs). */
export const sippLauncher = (cwd) => (label, port, mediaPort, args) => child(label, 'sipp', [...args, '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-nostdin'], { cwd });

export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** A port free on both UDP and TCP (SIP listens on both). */
export async function freePort() {
  for (;;) {
    const port = await freeUdpPort();
    const tcpFree = await new Promise((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (tcpFree) return port;
  }
}
