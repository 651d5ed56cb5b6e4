import type { ZodType } from 'zod';
import type { MessageHandler } from './bus.driver';
import { runHandler, type DeliveryProcessor, type Outcome } from './delivery.processor';
import { decode } from './message.codec';

/** A processor bound to one channel: `live()` says whether that channel may still handle messages. */
export type LiveProcessor = (live: () => boolean) => DeliveryProcessor;

/**
 * Runs a consumer's handler one message at a time per key, in delivery order. A message whose turn comes
 * after `live()` turned false (cancelled, or its channel lost) is left for the broker to redeliver, so
 * nothing queued behind a running message overtakes it on another consumer.
 */
export function orderedProcessor<T>(schema: ZodType<T>, handler: MessageHandler<T>, orderKey: (msg: T) => string): LiveProcessor {
  const tails = new Map<string, Promise<Outcome>>();
  return (live) => async (content, ctx) => {
    const decoded = decode(content, schema);
    if (!decoded.ok) return { kind: 'dead-letter', reason: decoded.reason };
    const value = decoded.value;
    const key = orderKey(value);
    const prev = tails.get(key) ?? Promise.resolve<Outcome>({ kind: 'ack' });
    const next = prev.then((): Promise<Outcome> | Outcome => (live() ? runHandler(handler, value, ctx) : { kind: 'leave' }));
    tails.set(key, next);
    void next.then(() => {
      if (tails.get(key) === next) tails.delete(key);
    });
    return next;
  };
}
