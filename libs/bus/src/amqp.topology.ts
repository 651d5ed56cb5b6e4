import type { ChannelModel, Options } from 'amqplib';
import type { Logger } from '@legwork/common';
import { KAZOO_EXCHANGE_OPTIONS, isKazooExchange } from '@legwork/contracts';
import type { Namer } from './bus.topology';
import type { QueueSpec } from './queue.options';

/** Kazoo's options for its four exchanges (so its applications can declare them too); durable for Legwork's own. */
export function exchangeOptions(logicalName: string): Options.AssertExchange {
  return isKazooExchange(logicalName) ? { ...KAZOO_EXCHANGE_OPTIONS, arguments: {} } : { durable: true };
}

/** RabbitMQ queue arguments for a spec; stable for a given spec, since redeclaring with others fails. */
export function queueArguments(spec: QueueSpec, namer: Namer): Options.AssertQueue {
  const args: Record<string, string | number | boolean> = {};
  if (spec.deadLetter) {
    args['x-dead-letter-exchange'] = namer.real(spec.deadLetter.exchange);
    if (spec.deadLetter.routingKey !== undefined) args['x-dead-letter-routing-key'] = spec.deadLetter.routingKey;
  }
  if (spec.ttlMs !== undefined) args['x-message-ttl'] = spec.ttlMs;
  if (spec.maxLength !== undefined) args['x-max-length'] = spec.maxLength;
  if (spec.expiresMs !== undefined) args['x-expires'] = spec.expiresMs;
  if (spec.singleActiveConsumer) args['x-single-active-consumer'] = true;
  if (spec.type === 'quorum') args['x-queue-type'] = 'quorum';
  return { durable: spec.durable, exclusive: spec.exclusive, autoDelete: spec.autoDelete, arguments: args };
}

const TYPE_MISMATCH = /inequivalent arg 'x-queue-type'/;

/**
 * Declares a queue on a channel of its own and answers the spec it now has. A quorum declare that meets the classic
 * queue an earlier version made (406, its type cannot change in place) keeps that queue as it is, with a warning,
 * rather than failing the app: nothing it holds is lost, it is only not replicated until migrated.
 */
export async function assertQueueKeepingType(model: ChannelModel, realName: string, spec: QueueSpec, namer: Namer, logger: Logger): Promise<QueueSpec> {
  const declare = async (s: QueueSpec): Promise<void> => {
    const ch = await model.createChannel();
    ch.on('error', () => undefined);
    try {
      await ch.assertQueue(realName, queueArguments(s, namer));
    } finally {
      await ch.close().catch(() => undefined);
    }
  };
  try {
    await declare(spec);
    return spec;
  } catch (err) {
    if (spec.type !== 'quorum' || !(err instanceof Error) || !TYPE_MISMATCH.test(err.message)) throw err;
    const classic: QueueSpec = { ...spec, type: 'classic' };
    await declare(classic);
    logger.warn({ queue: realName }, 'a classic queue an earlier Legwork declared stands where a quorum queue belongs: kept as it is, not replicated (README, "Scaling out", tells how to migrate it)');
    return classic;
  }
}
