import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisNode } from '../redis-target';

const run = promisify(execFile);

/** A throwaway Redis Cluster of real redis-server processes; `stop` kills them and removes their files. */
export interface ScratchCluster {
  nodes: RedisNode[];
  /** The nodes as REDIS_CLUSTER_NODES spells them. */
  env: string;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports whose cluster bus port (+10000) is free too, chosen at random so parallel suites rarely collide. */
async function freePorts(count: number, taken: Set<number>): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 9000);
    if (taken.has(port) || ports.includes(port)) continue;
    if ((await portFree(port)) && (await portFree(port + 10000))) ports.push(port);
  }
  return ports;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis cluster: ${what} not within ${timeoutMs} ms`);
}

async function startNode(dir: string, port: number): Promise<void> {
  await run('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
    '--dir', dir, '--pidfile', join(dir, `${port}.pid`), '--logfile', join(dir, `${port}.log`),
    '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
  ]);
}

async function killNode(dir: string, port: number): Promise<void> {
  const pid = Number((await readFile(join(dir, `${port}.pid`), 'utf8').catch(() => '')).trim());
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Starts `masters` cluster-enabled redis-servers, joins them with `redis-cli --cluster create` and waits for cluster_state:ok. */
export async function startRedisCluster(masters = 3, timeoutMs = 30_000): Promise<ScratchCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-redis-cluster-'));
  const ports = await freePorts(masters, new Set());
  const stop = async (): Promise<void> => {
    await Promise.all(ports.map((port) => killNode(dir, port)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map((port) => startNode(dir, port)));
    await Promise.all(ports.map((port) => waitFor(`node ${port} answering`, async () => (await cli(port, 'ping')).trim() === 'PONG', timeoutMs)));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    const ok = async (port: number) => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok');
    await Promise.all(ports.map((port) => waitFor(`cluster_state:ok on ${port}`, () => ok(port), timeoutMs)));
  } catch (err) {
    await stop();
    throw err;
  }
  const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  return { nodes, env: nodes.map((node) => `${node.host}:${node.port}`).join(','), stop };
}
