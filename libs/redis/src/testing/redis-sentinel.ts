import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeRedisPorts, killRedisProcess, redisCli, waitForRedis } from './redis-processes';

const run = promisify(execFile);
const NAME = 'lwprimary';

/** A throwaway primary, one replica and three sentinels of real redis-server processes. */
export interface ScratchSentinel {
  /** REDIS_URL for it: `redis-sentinel://…/lwprimary`. */
  url: string;
  /** The port of the node the sentinels name as primary now. */
  primaryPort(): Promise<number>;
  /** Resolves with the number of replicas (1) once the replica holds every write the primary had when asked. */
  waitForReplica(): Promise<number>;
  /** SIGKILLs the current primary; resolves with its port. */
  killPrimary(): Promise<number>;
  /** Resolves once the sentinels name a primary other than `port`, and it answers as a master. */
  waitForNewPrimary(port: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

async function startData(dir: string, port: number, primary?: number): Promise<void> {
  await run('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--pidfile', join(dir, `${port}.pid`), '--logfile', join(dir, `${port}.log`),
    '--save', '', '--appendonly', 'no', '--daemonize', 'yes', ...(primary !== undefined ? ['--replicaof', '127.0.0.1', String(primary)] : []),
  ]);
}

async function startSentinel(dir: string, port: number, primary: number): Promise<void> {
  const conf = join(dir, `sentinel-${port}.conf`);
  // Sentinel rewrites its own config file, so each gets one of its own; quick down-detection keeps the test short.
  await writeFile(conf, [
    `port ${port}`, 'bind 127.0.0.1', 'daemonize yes', `pidfile ${join(dir, `${port}.pid`)}`, `logfile ${join(dir, `${port}.log`)}`, `dir ${dir}`,
    `sentinel monitor ${NAME} 127.0.0.1 ${primary} 2`, `sentinel down-after-milliseconds ${NAME} 1000`,
    `sentinel failover-timeout ${NAME} 5000`, `sentinel parallel-syncs ${NAME} 1`, '',
  ].join('\n'));
  await run('redis-server', [conf, '--sentinel']);
}

/** Starts the primary and its replica, waits for the replica's sync, then three sentinels watching them. */
export async function startRedisSentinel(timeoutMs = 30_000): Promise<ScratchSentinel> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-redis-sentinel-'));
  const [primary, replica, ...sentinels] = await freeRedisPorts(5);
  const all = [primary, replica, ...sentinels] as number[];
  const stop = async (): Promise<void> => {
    await Promise.all(all.map((port) => killRedisProcess(dir, port)));
    await rm(dir, { recursive: true, force: true });
  };
  const askedPrimary = async (): Promise<number> => Number((await redisCli(sentinels[0] as number, 'sentinel', 'get-master-addr-by-name', NAME)).trim().split('\n')[1]);
  try {
    await startData(dir, primary as number);
    await startData(dir, replica as number, primary);
    await waitForRedis(`replica ${replica} in sync`, async () => (await redisCli(replica as number, 'info', 'replication')).includes('master_link_status:up'), timeoutMs);
    await Promise.all(sentinels.map((port) => startSentinel(dir, port, primary as number)));
    // Each sentinel must have found the replica and the other sentinels before a failover can be voted.
    const ready = async (port: number) => {
      const info = await redisCli(port, 'sentinel', 'master', NAME);
      return /num-other-sentinels\n2\n/.test(info) && /num-slaves\n1\n/.test(info);
    };
    await Promise.all(sentinels.map((port) => waitForRedis(`sentinel ${port} ready`, () => ready(port), timeoutMs)));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `redis-sentinel://${sentinels.map((port) => `127.0.0.1:${port}`).join(',')}/${NAME}`,
    primaryPort: askedPrimary,
    async waitForReplica() {
      // WAIT would only cover the asking connection's own writes; compare replication offsets instead.
      const port = await askedPrimary();
      const offsets = async () => {
        const info = await redisCli(port, 'info', 'replication');
        return { primary: Number(/master_repl_offset:(\d+)/.exec(info)?.[1]), replicas: [...info.matchAll(/slave\d+:.*offset=(\d+)/g)].map((m) => Number(m[1])) };
      };
      const target = (await offsets()).primary;
      await waitForRedis('the replica caught up', async () => (await offsets()).replicas.some((offset) => offset >= target), timeoutMs);
      return (await offsets()).replicas.length;
    },
    async killPrimary() {
      const port = await askedPrimary();
      await killRedisProcess(dir, port);
      return port;
    },
    async waitForNewPrimary(port, waitMs = timeoutMs) {
      const isNew = async () => {
        const now = await askedPrimary();
        return now !== port && (await redisCli(now, 'info', 'replication')).includes('role:master');
      };
      await waitForRedis(`a primary other than ${port}`, isNew, waitMs);
      return askedPrimary();
    },
    stop,
  };
}
