import type { Bus } from '@legwork/bus';
import { z } from 'zod';
import { WEBHOOK_TOPOLOGY as T } from './delivery-job';

/** Attempts a per-call callback gets (the account hooks' default of Kazoo's `retries`, plus one). */
export const CALLBACK_ATTEMPTS = 3;

/**
 * A per-call delivery target (Basix `callback_url`): one payload to one URL, signed with a key the caller
 * knows, through the same deliver queue, retry tiers, SSRF guard and dead queue as account hooks.
 */
export const callbackJobSchema = z.object({
  kind: z.literal('callback'),
  /** Names the delivery (X-Hook-ID, logs) and binds the sealed secret to it. */
  target_id: z.string().min(1).max(300),
  account_id: z.string().min(1),
  call_id: z.string(),
  uri: z.string().min(1).max(2048),
  /** The signing key, sealed under the platform's secret keys (never in clear on the bus). */
  sealed_secret: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  attempt: z.number().int().min(1),
  max_attempts: z.number().int().min(1).max(5),
  queued_at: z.number().int().nonnegative(),
});

export type CallbackJob = z.output<typeof callbackJobSchema>;

/** The AAD a callback's signing key is sealed with: it opens for this target only. */
export function callbackSecretContext(job: Pick<CallbackJob, 'account_id' | 'target_id'>): string {
  return `legwork/callback/${job.account_id}/${job.target_id}`;
}

const declared = new WeakSet<Bus>();

/**
 * Queues a callback for the webhook workers. The exchange and the durable deliver queue are declared here
 * too, so a callback waits in the broker even while no worker runs.
 */
export async function enqueueCallback(bus: Bus, job: CallbackJob): Promise<void> {
  if (!declared.has(bus)) {
    await bus.declareExchange(T.exchange, 'direct');
    await bus.declareQueue(T.deliverQueue, { type: 'quorum', bindings: [{ exchange: T.exchange, routingKey: T.deliverKey }] });
    declared.add(bus);
  }
  await bus.publish(T.exchange, T.deliverKey, callbackJobSchema.parse(job));
}
