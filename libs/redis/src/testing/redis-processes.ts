import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Free ports chosen at random (so parallel suites rarely collide); with `busOffset`, port + offset is free too. */
export async function freeRedisPorts(count: number, busOffset?: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 9000);
    if (ports.includes(port)) continue;
    if ((await portFree(port)) && (busOffset === undefined || (await portFree(port + busOffset)))) ports.push(port);
  }
  return ports;
}

export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

export async function waitForRedis(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis: ${what} not within ${timeoutMs} ms`);
}

/** SIGKILLs the redis-server whose pidfile `<port>.pid` is in `dir`; a process already gone is fine. */
export async function killRedisProcess(dir: string, port: number): Promise<void> {
  const pid = Number((await readFile(join(dir, `${port}.pid`), 'utf8').catch(() => '')).trim());
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
