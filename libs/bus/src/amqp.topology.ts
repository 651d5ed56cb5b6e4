import type { Options } from 'amqplib';
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
  return { durable: spec.durable, exclusive: spec.exclusive, autoDelete: spec.autoDelete, arguments: args };
}
