import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '@legwork/bus';
import { SHARED_QUEUE_NAMES } from '@legwork/contracts';
import { DEFAULT_PARTITIONS, DEFAULT_RETRY_TIERS_MS, WEBHOOK_TOPOLOGY, webhookQueueNames } from '@legwork/webhook-delivery';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix, bus namespace and secret key owned by one test run. */
export interface Scratch {
  redisPrefix: string;
  amqpNamespace: string;
  /** LEGWORK_SECRET_KEYS for every app of the run (distributed mode needs one, shared). */
  secretKeys: string;
}

/** The same names as the environment variables an app process reads. */
export interface ScratchEnv {
  REDIS_PREFIX: string;
  AMQP_NAMESPACE: string;
  LEGWORK_SECRET_KEYS: string;
}

/** A fresh LEGWORK_SECRET_KEYS value (one key). */
export function scratchSecretKeys(): string {
  return `t${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;
}

/** What a run declared under its namespace beyond the bus's own exchanges and dead-letter queue. */
export interface ScratchExtras {
  queues?: readonly string[];
  exchanges?: readonly string[];
}

/** Names unique to one test run so parallel runs never share keys or exchanges. */
export function scratchNames(label: string): Scratch {
  const tag = `${label}-${randomBytes(5).toString('hex')}`;
  return { redisPrefix: `t-${tag}:`, amqpNamespace: `t-${tag}`, secretKeys: scratchSecretKeys() };
}

/** The scratch names as env for a child process. */
export function scratchEnv(scratch: Scratch): ScratchEnv {
  return { REDIS_PREFIX: scratch.redisPrefix, AMQP_NAMESPACE: scratch.amqpNamespace, LEGWORK_SECRET_KEYS: scratch.secretKeys };
}

/** Deletes the run's Redis keys under its prefix. */
export async function deleteScratchKeys(redisPrefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Deletes the named queues and exchanges under the run's namespace (missing ones are fine). */
export async function deleteScratchBusObjects(amqpNamespace: string, queues: readonly string[], exchanges: readonly string[]): Promise<void> {
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(`${amqpNamespace}.${q}`);
    for (const x of exchanges) await ch.deleteExchange(`${amqpNamespace}.${x}`);
    await ch.close();
  } finally {
    await conn.close();
  }
}

/**
 * Durable queues any app of the platform may declare under a namespace with its default settings: the shared ones
 * (originate intake, CDR writer, webhook events) and the webhook pipeline's (deliver, partitions, retry tiers, dead).
 */
export const PLATFORM_SCRATCH_QUEUES: readonly string[] = [
  ...new Set([...Object.values(SHARED_QUEUE_NAMES), ...webhookQueueNames(DEFAULT_RETRY_TIERS_MS, DEFAULT_PARTITIONS), WEBHOOK_TOPOLOGY.legacyEventQueue]),
];

/** Deletes only what a run created under its own prefix and namespace: keys, the bus topology, the platform's queues and any `extras`. */
export async function cleanupScratch(scratch: Scratch, extras: ScratchExtras = {}): Promise<void> {
  await deleteScratchKeys(scratch.redisPrefix);
  const queues = [...new Set([...(extras.queues ?? []), ...PLATFORM_SCRATCH_QUEUES, DEAD_LETTER_QUEUE])];
  const exchanges = [...new Set([...STANDARD_EXCHANGES.map((e) => e.name), WEBHOOK_TOPOLOGY.exchange, ...(extras.exchanges ?? [])])];
  await deleteScratchBusObjects(scratch.amqpNamespace, queues, exchanges);
}
