import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { callerIdSchema, timezoneSchema } from './common.schema';
import { outboundRulesSchema } from './outbound.schema';

export const userSchema = z.object({
  first_name: z.string().trim().min(1).max(128),
  last_name: z.string().trim().min(1).max(128),
  /** Lowercased, as Kazoo does, so the credentials hash is predictable. */
  username: z.string().trim().toLowerCase().min(1).max(256).optional(),
  /** Write-only: stored as md5("username:password"), never as given. */
  password: z.string().min(1).max(256).optional(),
  email: z.email().optional(),
  caller_id: callerIdSchema.optional(),
  enabled: z.boolean().default(true),
  allow_anonymous_quickcalls: z.boolean().default(false),
  presence_id: z.string().max(256).optional(),
  priv_level: z.enum(['admin', 'user']).default('user'),
  timezone: timezoneSchema.optional(),
  /** Outbound rules narrower than the account's (they can only restrict). */
  outbound: outboundRulesSchema.optional(),
});

export type UserInput = z.input<typeof userSchema>;

export interface User extends Omit<z.output<typeof userSchema>, 'password'>, SystemFields {
  account_id: string;
}

/** What is kept at rest: the user plus its credentials hash. */
export interface StoredUser extends User {
  pvt_md5_auth?: string;
}
