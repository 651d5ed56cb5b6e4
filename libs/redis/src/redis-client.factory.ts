import { Cluster, Redis } from 'ioredis';
import { isSentinelUrl, parseSentinelUrl } from './redis-sentinel-url';
import type { RedisTarget } from './redis-target';
import { RedisTargetError } from './redis.errors';

/** What every store talks to: the same commands on one Redis or on a Cluster. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** Retries of one command across reconnects before it fails (so a caller hears of an outage soon). */
  maxRetriesPerRequest?: number;
  connectTimeout?: number;
  /** Connect on the first command rather than at construction. */
  lazyConnect?: boolean;
  /**
   * On one Redis, commands issued in one event-loop turn leave in one write (ioredis auto-pipelining); replies and
   * errors stay per command. A Cluster ignores it: its batches mix slots, and when one slot moves mid-batch ioredis
   * fails that slot's commands instead of following the redirect.
   */
  autoPipelining?: boolean;
}

/** One connection factory for every store: a Redis for `single`, an ioredis Cluster for `cluster`. */
export function createRedisClient(target: RedisTarget, opts: RedisClientOptions = {}): RedisClient {
  const nodeOptions = {
    ...(opts.maxRetriesPerRequest !== undefined ? { maxRetriesPerRequest: opts.maxRetriesPerRequest } : {}),
    ...(opts.connectTimeout !== undefined ? { connectTimeout: opts.connectTimeout } : {}),
  };
  const pipelining = opts.autoPipelining === true ? { enableAutoPipelining: true } : {};
  const lazy = opts.lazyConnect === true ? { lazyConnect: true } : {};
  if (target.kind === 'single' && isSentinelUrl(target.url)) return sentinelClient(target.url, { ...nodeOptions, ...pipelining, ...lazy });
  if (target.kind === 'single') return new Redis(target.url, { ...nodeOptions, ...pipelining, ...lazy });
  const maxRetries = opts.maxRetriesPerRequest ?? 20;
  return new Cluster(target.nodes, {
    redisOptions: nodeOptions,
    ...(opts.lazyConnect === true ? { lazyConnect: true } : {}),
    // A slot whose master is failing over answers CLUSTERDOWN for a moment: wait a little and retry rather than fail.
    retryDelayOnClusterDown: 200,
    clusterRetryStrategy(this: Cluster, times: number) {
      if (times > maxRetries) failQueued(this, new Error(`no Redis Cluster node reachable after ${times} attempts`));
      return Math.min(100 + times * 2, 2000);
    },
  });
}

/**
 * A client of the primary the sentinels name; ioredis asks them again on every reconnect. A connection to a node that
 * was demoted meanwhile answers writes with READONLY: reconnect (to the new primary) and resend the command.
 */
function sentinelClient(url: string, options: Record<string, unknown>): Redis {
  const parsed = parseSentinelUrl(url);
  if ('problem' in parsed) throw new RedisTargetError('invalid_target', `url: ${parsed.problem}`, { field: 'url' });
  const { sentinels, name, username, password, db } = parsed.target;
  return new Redis({
    ...options,
    sentinels,
    name,
    db,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? 2 : false),
  });
}

/**
 * While no node answers, a Cluster queues commands for as long as it keeps reconnecting; a single Redis fails them
 * after maxRetriesPerRequest reconnects. This gives the Cluster that behaviour (ioredis has no option for it).
 */
function failQueued(cluster: Cluster, error: Error): void {
  const flush = (cluster as unknown as { flushQueue?: (err: Error) => void }).flushQueue;
  if (typeof flush === 'function') flush.call(cluster, error);
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** QUIT when connected, otherwise drop the connection attempt; never throws. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
