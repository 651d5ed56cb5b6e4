import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisNode } from '../redis-target';
import { freeRedisPorts, killRedisProcess, redisCli as cli, waitForRedis as waitFor } from './redis-processes';

const run = promisify(execFile);

/** A throwaway Redis Cluster of real redis-server processes; `stop` kills them and removes their files. */
export interface ScratchCluster {
  nodes: RedisNode[];
  /** The nodes as REDIS_CLUSTER_NODES spells them. */
  env: string;
  stop(): Promise<void>;
}

async function startNode(dir: string, port: number): Promise<void> {
  await run('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
    '--dir', dir, '--pidfile', join(dir, `${port}.pid`), '--logfile', join(dir, `${port}.log`),
    '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
  ]);
}

/** Starts `masters` cluster-enabled redis-servers, joins them with `redis-cli --cluster create` and waits for cluster_state:ok. */
export async function startRedisCluster(masters = 3, timeoutMs = 30_000): Promise<ScratchCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-redis-cluster-'));
  const ports = await freeRedisPorts(masters, 10000);
  const stop = async (): Promise<void> => {
    await Promise.all(ports.map((port) => killRedisProcess(dir, port)));
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
