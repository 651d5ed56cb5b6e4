import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { BUS_EXCHANGES, DEAD_LETTER_QUEUE, createBus, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { silentLogger } from '@legwork/common';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A bus and a call store for one test, in-process or on the real broker and Redis under a unique namespace. */
export interface ScratchInfra {
  bus: Bus;
  calls: CallStore;
  namespace: string;
  /** A second store on the same data (another node's view). */
  otherStore(): CallStore;
  close(extraQueues?: string[]): Promise<void>;
}

export type InfraKind = 'in-process' | 'rabbitmq+redis';

export async function scratchInfra(kind: InfraKind): Promise<ScratchInfra> {
  const namespace = `t-glue-${randomBytes(5).toString('hex')}`;
  const real = kind === 'rabbitmq+redis';
  const bus = createBus({ url: real ? AMQP_URL : undefined, appName: 'glue-test', nodeId: 'glue', namespace, logger: silentLogger });
  await bus.start();
  const prefix = `${namespace}:`;
  const calls = createCallStore(real ? { url: REDIS_URL, prefix } : {});
  const others: CallStore[] = [];
  return {
    bus,
    calls,
    namespace,
    otherStore() {
      if (!real) return calls;
      const store = createCallStore({ url: REDIS_URL, prefix });
      others.push(store);
      return store;
    },
    async close(extraQueues = []) {
      await bus.close();
      await Promise.all([calls, ...others].map((s) => s.close()));
      if (real) await cleanup(namespace, prefix, extraQueues);
    },
  };
}

/** Deletes only this test's keys, queues and exchanges. */
async function cleanup(namespace: string, prefix: string, queues: string[]): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of [...queues, DEAD_LETTER_QUEUE]) await ch.deleteQueue(`${namespace}.${q}`);
    for (const x of Object.values(BUS_EXCHANGES)) await ch.deleteExchange(`${namespace}.${x}`);
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** Waits until `check` holds (bus deliveries are asynchronous). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
