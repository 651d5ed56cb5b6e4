import { z } from 'zod';
import { baseConfigShape, webhooksPortShape } from '@legwork/platform';
import { DEFAULT_PARTITIONS, splitList } from '@legwork/webhook-delivery';

const msList = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be comma-separated milliseconds')
  .transform((v) => splitList(v).map(Number));

/** Environment of the webhooks app: the shared variables, its port and delivery settings. */
export const webhooksConfigShape = {
  ...baseConfigShape,
  ...webhooksPortShape,
  /** Hosts, IPs or CIDRs that hooks may target although private or loopback. */
  WEBHOOK_ALLOWED_HOSTS: z.string().default('').transform(splitList),
  /** Delay of each retry tier; default 1 s, 10 s, 1 min, 10 min, 1 h. */
  WEBHOOK_RETRY_TIERS_MS: msList.optional(),
  /** Partition queues deliveries are spread over, per hook and call; the same on every worker. */
  WEBHOOK_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(DEFAULT_PARTITIONS),
  /** How long a failing delivery may hold its call's later events back (retrying in place); 0: never. */
  WEBHOOK_ORDER_HOLD_MS: z.coerce.number().int().min(0).max(600_000).default(11_000),
  /** How long a hook's receiver may stay away (its events queued in order) before the hook is disabled. */
  WEBHOOK_OUTAGE_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Events a hook's outage backlog may hold before the hook is disabled. */
  WEBHOOK_OUTAGE_BACKLOG_MAX: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
};
export const webhooksConfigSchema = z.object(webhooksConfigShape);
export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;
