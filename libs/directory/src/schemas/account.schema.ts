import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { realmSchema, timezoneSchema } from './common.schema';

export const accountLimitsSchema = z.object({
  max_concurrent_channels: z.number().int().min(0).optional(),
  calls_per_second: z.number().positive().optional(),
  /** Token bucket for quickcall requests. */
  quickcall_bucket: z
    .object({ burst: z.number().int().min(1), refill_per_second: z.number().positive() })
    .optional(),
});

export const accountSchema = z.object({
  name: z.string().trim().min(1).max(128),
  realm: realmSchema,
  enabled: z.boolean().default(true),
  timezone: timezoneSchema.optional(),
  limits: accountLimitsSchema.default({}),
  allow_anonymous_quickcalls: z.boolean().default(false),
});

export type AccountInput = z.input<typeof accountSchema>;
export type AccountLimits = z.output<typeof accountLimitsSchema>;

export interface Account extends z.output<typeof accountSchema>, SystemFields {
  /** null for a root (master) account. */
  parent_id: string | null;
  /** Ancestor ids from the root down to the parent (Kazoo's pvt_tree). */
  tree: string[];
}
