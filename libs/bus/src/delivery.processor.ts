import type { ZodType } from 'zod';
import type { DeliveryContext, MessageHandler } from './bus.driver';
import { errorMessage } from './bus.error';
import { decode, truncate } from './message.codec';
import { DEAD_LETTER_HEADERS } from './bus.topology';

/** `leave`: neither ack nor dead-letter; the broker takes it back when the channel closes. */
export type Outcome = { kind: 'ack' } | { kind: 'dead-letter'; reason: string } | { kind: 'leave' };

/** What a driver does with one delivery: decide ack or dead-letter, never throw. */
export type DeliveryProcessor = (content: Buffer, ctx: DeliveryContext) => Promise<Outcome>;

export function handlerProcessor<T>(schema: ZodType<T>, handler: MessageHandler<T>): DeliveryProcessor {
  return async (content, ctx) => {
    const decoded = decode(content, schema);
    if (!decoded.ok) return { kind: 'dead-letter', reason: decoded.reason };
    return runHandler(handler, decoded.value, ctx);
  };
}

/** Ack when the handler resolves, dead-letter with its error when it throws. */
export async function runHandler<T>(handler: MessageHandler<T>, value: T, ctx: DeliveryContext): Promise<Outcome> {
  try {
    await handler(value, ctx);
    return { kind: 'ack' };
  } catch (err) {
    return { kind: 'dead-letter', reason: truncate(`handler_error: ${errorMessage(err)}`) };
  }
}

/** Headers for the dead-letter copy: the originals plus why and where it came from. */
export function deadLetterHeaders(ctx: DeliveryContext, reason: string): Record<string, unknown> {
  return {
    ...ctx.headers,
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.exchange]: ctx.exchange,
    [DEAD_LETTER_HEADERS.routingKey]: ctx.routingKey,
    [DEAD_LETTER_HEADERS.queue]: ctx.queue,
  };
}
