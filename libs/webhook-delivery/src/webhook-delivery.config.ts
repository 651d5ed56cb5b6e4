import { z } from 'zod';
import { DEFAULT_PARTITIONS } from './partition';
import { WebhookDeliveryError } from './webhook-delivery.error';

/** Kazoo's retry ladder: 1 s, 10 s, 1 min, 10 min, 1 h. */
export const DEFAULT_RETRY_TIERS_MS = [1_000, 10_000, 60_000, 600_000, 3_600_000];

export const webhookDeliveryConfigSchema = z.object({
  /** Hosts, IPs and CIDRs that may be private/loopback targets (`WEBHOOK_ALLOWED_HOSTS`). */
  allowedHosts: z.array(z.string().trim().min(1)).default([]),
  /** Delay of each retry, one delay queue per tier; attempts past the last tier reuse it. */
  retryTiersMs: z.array(z.number().int().min(1).max(86_400_000)).min(1).max(10).default(DEFAULT_RETRY_TIERS_MS),
  connectTimeoutMs: z.number().int().min(1).default(5_000),
  totalTimeoutMs: z.number().int().min(1).default(15_000),
  /** Kazoo: 6 failures within 60 s disable a hook. */
  failureThreshold: z.number().int().min(1).default(6),
  failureWindowMs: z.number().int().min(1).default(60_000),
  /** Deliveries in flight per partition a worker is active on, and per worker on the unordered queue. */
  concurrency: z.number().int().min(1).max(1000).default(32),
  /**
   * Partition queues a hook's jobs for a call are routed to (by hash); every worker of a platform must use
   * the same number, and changing it reroutes calls in flight, so change it with the queues drained.
   */
  partitions: z.number().int().min(1).max(1024).default(DEFAULT_PARTITIONS),
  /**
   * How long a failing delivery may hold back the later events of its call for its hook, retrying in place
   * on the retry tiers (0: never). A retry due later leaves for the delay queues and the later events pass it.
   */
  orderHoldMs: z.number().int().min(0).max(600_000).default(11_000),
  /**
   * Outage mode: a hook whose receiver is unreachable, times out or answers 5xx, 408 or 429 has its jobs queued in
   * order in a backlog (no attempts, no auto-disable) while one prober retries the head; past this long the hook
   * is disabled and its backlog parked in the dead queue.
   */
  outageMaxMs: z.number().int().min(1_000).max(86_400_000).default(900_000),
  /** Jobs a hook's backlog may hold; one more disables the hook and parks the backlog. */
  outageBacklogMax: z.number().int().min(1).max(10_000_000).default(100_000),
  /** The prober's first retry delay, doubled up to outageProbeMaxMs. */
  outageProbeMinMs: z.number().int().min(10).max(600_000).default(1_000),
  outageProbeMaxMs: z.number().int().min(10).max(600_000).default(30_000),
  /** How often a worker checks it is not active on more than its share of the busy partitions. */
  rebalanceMs: z.number().int().min(50).max(600_000).default(2_000),
});

export type WebhookDeliveryConfig = z.output<typeof webhookDeliveryConfigSchema>;
export type WebhookDeliveryConfigInput = z.input<typeof webhookDeliveryConfigSchema>;

export function resolveWebhookDeliveryConfig(input: WebhookDeliveryConfigInput = {}): WebhookDeliveryConfig {
  const parsed = webhookDeliveryConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new WebhookDeliveryError('invalid_config', `${issue?.path.join('.') ?? 'config'}: ${issue?.message ?? 'invalid'}`, { field: issue?.path.join('.') });
}

/** `a, b,c` → ['a','b','c'] for comma-separated environment variables. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
