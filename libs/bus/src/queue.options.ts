import { z } from 'zod';
import type { DeadLetterTarget, QueueBinding, QueueOptions, QueueType } from './bus.driver';
import { BusError } from './bus.error';
import { DEAD_LETTER_EXCHANGE } from './bus.topology';

/** Queue options with every default applied; names are still logical. */
export interface QueueSpec {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  bindings: QueueBinding[];
  deadLetter?: DeadLetterTarget;
  ttlMs?: number;
  maxLength?: number;
  expiresMs?: number;
  singleActiveConsumer: boolean;
  type: QueueType;
}

const shortString = z.string().max(255);

const optionsSchema = z.object({
  durable: z.boolean().optional(),
  exclusive: z.boolean().default(false),
  autoDelete: z.boolean().default(false),
  bindings: z.array(z.object({ exchange: shortString.min(1), routingKey: shortString })).default([]),
  deadLetter: z.union([z.boolean(), z.object({ exchange: shortString.min(1), routingKey: shortString.optional() })]).default(true),
  ttlMs: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  maxLength: z.number().int().positive().optional(),
  expiresMs: z.number().int().positive().max(2 ** 31 - 1).optional(),
  singleActiveConsumer: z.boolean().default(false),
  type: z.enum(['classic', 'quorum']).default('classic'),
});

export function resolveQueueSpec(name: string, opts: QueueOptions = {}): QueueSpec {
  assertShortString('queue name', name);
  const parsed = optionsSchema.safeParse(opts);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new BusError('bus_topology', `invalid options for queue ${name}: ${issues}`);
  }
  const o = parsed.data;
  const durable = o.durable ?? !o.exclusive;
  if (o.type === 'quorum' && (!durable || o.exclusive || o.autoDelete)) {
    throw new BusError('bus_topology', `invalid options for queue ${name}: type: a quorum queue is durable, not exclusive and not auto-delete`);
  }
  const deadLetter = o.deadLetter === true ? { exchange: DEAD_LETTER_EXCHANGE } : o.deadLetter === false ? undefined : o.deadLetter;
  return {
    durable,
    exclusive: o.exclusive,
    autoDelete: o.autoDelete,
    bindings: o.bindings,
    deadLetter,
    ttlMs: o.ttlMs,
    maxLength: o.maxLength,
    expiresMs: o.expiresMs,
    singleActiveConsumer: o.singleActiveConsumer,
    type: o.type,
  };
}

/** AMQP short strings (names, routing keys) hold at most 255 bytes. */
export function assertShortString(what: string, value: string): void {
  if (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') > 255) {
    throw new BusError('bus_invalid_message', `${what} must be a string of at most 255 bytes`);
  }
}

export function bindingKey(queue: string, exchange: string, routingKey: string): string {
  return JSON.stringify([queue, exchange, routingKey]);
}
