import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { BUS_EXCHANGES, DEAD_LETTER_QUEUE } from '@legwork/bus';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface Scratch {
  redisPrefix: string;
  amqpNamespace: string;
}

/** Names unique to one test run so parallel runs never share keys or exchanges. */
export function scratchNames(label: string): Scratch {
  const tag = `${label}-${randomBytes(5).toString('hex')}`;
  return { redisPrefix: `t-${tag}:`, amqpNamespace: `t-${tag}` };
}

/** Deletes only what the run created under its own prefix and namespace. */
export async function cleanupScratch(scratch: Scratch): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${scratch.redisPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    await ch.deleteQueue(`${scratch.amqpNamespace}.${DEAD_LETTER_QUEUE}`);
    for (const name of Object.values(BUS_EXCHANGES)) await ch.deleteExchange(`${scratch.amqpNamespace}.${name}`);
    await ch.close();
  } finally {
    await conn.close();
  }
}
