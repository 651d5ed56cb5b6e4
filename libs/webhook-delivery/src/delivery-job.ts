import { SHARED_QUEUE_NAMES } from '@legwork/contracts';
import { z } from 'zod';

/** Exchange and queues of the delivery pipeline (all durable). */
export const WEBHOOK_TOPOLOGY = {
  exchange: 'legwork.webhooks',
  /** Call events, one active consumer at a time so a call's jobs are queued in its events' order. */
  eventQueue: SHARED_QUEUE_NAMES.webhooks,
  /** The unordered event queue of earlier versions: unbound and drained at start. */
  legacyEventQueue: 'legwork.webhooks',
  /** Per-call callbacks, retries that left their partition, replayed jobs: any worker, no order. */
  deliverQueue: 'legwork.webhooks.deliver',
  deadQueue: 'legwork.webhooks.dead',
  deliverKey: 'deliver',
  deadKey: 'dead',
} as const;

/** Partition `p`'s queue (single active consumer) and its routing key on the webhooks exchange. */
export const partitionQueueName = (p: number): string => `legwork.webhooks.deliver.${p}`;
export const partitionKey = (p: number): string => `deliver.${p}`;

/** Headers set on jobs parked in the dead queue. */
export const WEBHOOK_DEAD_HEADERS = { reason: 'x-legwork-webhook-reason', status: 'x-legwork-webhook-status', error: 'x-legwork-webhook-error' } as const;

/** `1s`, `10s`, `1m`, `1h`, or `250ms`: the suffix of a retry tier's queue. */
export function tierLabel(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export const retryQueueName = (ms: number): string => `legwork.webhooks.retry.${tierLabel(ms)}`;
export const retryKey = (ms: number): string => `retry.${tierLabel(ms)}`;

/** One event for one hook; retries are the same job with `attempt` bumped. */
export const deliveryJobSchema = z.object({
  hook_id: z.string().min(1),
  /** The hook's owner (the event's account or an ancestor). */
  account_id: z.string().min(1),
  event_account_id: z.string().min(1),
  call_id: z.string(),
  hook_event: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  attempt: z.number().int().min(1),
  /** Epoch ms the event was fanned out. */
  queued_at: z.number().int().nonnegative(),
});

export type DeliveryJob = z.output<typeof deliveryJobSchema>;
