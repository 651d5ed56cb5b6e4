import { isSupportedCountry } from 'libphonenumber-js/min';
import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { realmSchema, timezoneSchema } from './common.schema';
import { extensionPrefixSchema } from './numbering.schema';
import { imrnRangeSchema } from './imrn-range.schema';
import { accountOutboundSchema } from './outbound.schema';

export const accountLimitsSchema = z.object({
  max_concurrent_channels: z.number().int().min(0).optional(),
  calls_per_second: z.number().positive().optional(),
  /** Token bucket for API requests addressing the account, in every dialect (formerly `quickcall_bucket`, still accepted). */
  api_bucket: z
    .object({ burst: z.number().int().min(1), refill_per_second: z.number().positive() })
    .optional(),
});

/** ISO 3166-1 alpha-2, upper case: the country national numbers and number classes are read against. */
export const countrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), { message: 'must be an ISO 3166-1 alpha-2 country code such as US or GB', params: { rule: 'format' } });

export const accountSchema = z.object({
  name: z.string().trim().min(1).max(128),
  realm: realmSchema,
  enabled: z.boolean().default(true),
  timezone: timezoneSchema.optional(),
  limits: accountLimitsSchema.default({}),
  allow_anonymous_quickcalls: z.boolean().default(false),
  country: countrySchema.optional(),
  /** Outbound rules: destination classes and patterns, caller-id numbers the account may present. */
  outbound: accountOutboundSchema.optional(),
  // Numbering plan: extended numbers `PREFIX*EXT` reach this account's extensions (prefix unique platform-wide).
  extension_prefix: extensionPrefixSchema.optional(),
  /** IMRN pool: routing numbers this account's users may reserve to anchor a mobile call (set by the parent). */
  imrn_ranges: z.array(imrnRangeSchema).max(20).optional(),
});

export type AccountInput = z.input<typeof accountSchema>;
export type AccountLimits = z.output<typeof accountLimitsSchema>;

export interface Account extends z.output<typeof accountSchema>, SystemFields {
  /** null for a root (master) account. */
  parent_id: string | null;
  /** Ancestor ids from the root down to the parent (Kazoo's pvt_tree). */
  tree: string[];
}
