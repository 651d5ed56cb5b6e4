import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { callerIdSchema, timezoneSchema } from './common.schema';
import { numberedFields, writtenNumberSchema } from './numbering.schema';
import { outboundRulesSchema } from './outbound.schema';

export const userSchema = z.object({
  first_name: z.string().trim().min(1).max(128),
  last_name: z.string().trim().min(1).max(128),
  /** Lowercased, as Kazoo does, so the credentials hash is predictable. */
  username: z.string().trim().toLowerCase().min(1).max(256).optional(),
  /** Write-only: kept only as salted scrypt hashes of md5/sha1("username:password"), never as given. */
  password: z.string().min(1).max(256).optional(),
  /** Unique per account (case-insensitive). */
  email: z.email().max(254).optional(),
  caller_id: callerIdSchema.optional(),
  enabled: z.boolean().default(true),
  allow_anonymous_quickcalls: z.boolean().default(false),
  presence_id: z.string().max(256).optional(),
  priv_level: z.enum(['admin', 'user']).default('user'),
  timezone: timezoneSchema.optional(),
  /** Outbound rules narrower than the account's (they can only restrict). */
  outbound: outboundRulesSchema.optional(),
  /** extension (unique in the account across users, devices and groups), dids (E.164, unique platform-wide), label (unique among the account's users). */
  ...numberedFields,
  /** The user's mobile phone (E.164 after the write, unique per account): push-call APIs find the user's devices by it. */
  mobile_number: writtenNumberSchema.optional(),
});

export type UserInput = z.input<typeof userSchema>;

export interface User extends Omit<z.output<typeof userSchema>, 'password'>, SystemFields {
  account_id: string;
}

/** A user's login credentials at rest: slow hashes of Kazoo's md5 and sha1 credentials and their index entries. */
export interface StoredCredentials {
  /** scrypt (PHC string) of md5("username:password"). */
  md5: string;
  /** scrypt of sha1("username:password"); absent for a user migrated from a legacy md5 until its password is set again. */
  sha1?: string;
  /** This user's fields in the account's credentials index, `<key id>:<HMAC>`, one per method. */
  index: { md5?: string; sha1?: string };
}

/** What is kept at rest: the user plus its credentials. */
export interface StoredUser extends User {
  pvt_credentials?: StoredCredentials;
  /** Earlier versions' unsalted md5 (itself a login token): migrated on first login or by `secrets.rotate()`. */
  pvt_md5_auth?: string;
}
