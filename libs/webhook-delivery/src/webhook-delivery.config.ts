import { z } from 'zod';
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
  /** Deliveries in flight per worker (different hooks or calls run in parallel). */
  concurrency: z.number().int().min(1).max(1000).default(32),
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
