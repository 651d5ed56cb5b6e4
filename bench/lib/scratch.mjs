// Removes only what one bench run created: its Redis keys and its namespaced queues and exchanges.
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
// The lib is CommonJS (swc), whose named exports Node cannot detect statically: take them off the default.
import legworkBus from '@legwork/bus';
import { AMQP_URL, REDIS_URL } from './env.mjs';

const { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } = legworkBus;

/** Deletes keys under `prefix` (when given), `queues` plus the dead-letter queue, and the bus exchanges plus `exchanges`. */
export async function cleanupRun({ namespace, prefix, queues = [], exchanges = [] }) {
  if (prefix !== undefined) {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  const model = await amqplib.connect(AMQP_URL);
  try {
    const ch = await model.createChannel();
    for (const q of [...queues, DEAD_LETTER_QUEUE]) await ch.deleteQueue(`${namespace}.${q}`);
    for (const x of [...STANDARD_EXCHANGES.map((e) => e.name), ...exchanges]) await ch.deleteExchange(`${namespace}.${x}`);
  } finally {
    await model.close();
  }
}

/** An exclusive queue of our own bound to the given call events of the namespace. */
export async function callEventQueue(ch, namespace, events) {
  const q = (await ch.assertQueue('', { exclusive: true })).queue;
  for (const ev of events) await ch.bindQueue(q, `${namespace}.callevt`, `call.${ev}.*`);
  return q;
}
