import type { Bus } from '@legwork/bus';
import { z } from 'zod';
import { callbackJobSchema } from './callback-job';
import { deliveryJobSchema, WEBHOOK_TOPOLOGY as T } from './delivery-job';
import { declareWebhookTopology } from './webhook-topology';
import { DEFAULT_RETRY_TIERS_MS } from './webhook-delivery.config';

export interface ReplayOptions {
  /** At most this many jobs (default: all). */
  limit?: number;
  /** Stop once the dead queue stays quiet this long. Default 500 ms. */
  idleMs?: number;
  retryTiersMs?: number[];
  /** The workers' partition count (declared with the rest of the topology). */
  partitions?: number;
}

/** Moves parked deliveries from `legwork.webhooks.dead` back to the (unordered) deliver queue as first attempts. */
export async function replayDeadDeliveries(bus: Bus, opts: ReplayOptions = {}): Promise<number> {
  await declareWebhookTopology(bus, opts.retryTiersMs ?? DEFAULT_RETRY_TIERS_MS, opts.partitions);
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const idleMs = opts.idleMs ?? 500;
  let moved = 0;
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(finish, idleMs);
  };
  arm();
  const consumer = await bus.consume(
    T.deadQueue,
    z.union([deliveryJobSchema, callbackJobSchema]),
    async (job, ctx) => {
      if (moved >= limit) {
        // Past the limit: put it back where it was, untouched.
        await bus.publish(T.exchange, T.deadKey, job, { headers: ctx.headers as Record<string, string> });
        return;
      }
      moved += 1;
      await bus.publish(T.exchange, T.deliverKey, { ...job, attempt: 1 });
      if (moved >= limit) finish();
      else arm();
    },
    { prefetch: 1 },
  );
  if (limit <= 0) finish();
  await done;
  clearTimeout(timer);
  await consumer.cancel();
  return moved;
}
