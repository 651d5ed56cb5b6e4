import { z } from 'zod';
import { baseConfigShape, webhooksPortShape } from '@legwork/platform';
import { splitList } from '@legwork/webhook-delivery';

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
};
export const webhooksConfigSchema = z.object(webhooksConfigShape);
export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;
