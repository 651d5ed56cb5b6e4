import { connect, type ConfirmChannel } from 'amqplib';
import { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '../bus.topology';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Deletes what a test namespace created (and nothing else) through a separate connection. */
export async function deleteNamespace(namespace: string, queues: string[], exchanges: string[] = []): Promise<void> {
  const model = await connect(AMQP_URL);
  try {
    const ch = await model.createChannel();
    for (const q of [...queues, DEAD_LETTER_QUEUE]) await ch.deleteQueue(`${namespace}.${q}`);
    for (const x of [...STANDARD_EXCHANGES.map((e) => e.name), ...exchanges]) await ch.deleteExchange(`${namespace}.${x}`);
    await ch.close();
  } finally {
    await model.close();
  }
}

/** Runs `fn` on a channel of a separate raw connection (to inject or inspect what the bus would not). */
export async function withRawChannel<R>(fn: (ch: ConfirmChannel) => Promise<R>): Promise<R> {
  const model = await connect(AMQP_URL);
  try {
    const ch = await model.createConfirmChannel();
    ch.on('error', () => undefined);
    const result = await fn(ch);
    // Closing the connection does not flush publishes still buffered; confirms do.
    await ch.waitForConfirms();
    return result;
  } finally {
    await model.close().catch(() => undefined);
  }
}
