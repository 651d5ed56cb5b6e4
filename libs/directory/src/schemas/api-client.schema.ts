import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { kazooIdSchema } from './common.schema';

/** The REST dialects an API client authenticates to; a client's credentials work for its own dialect only. */
export const API_CLIENT_DIALECTS = ['voipnow', 'basix', 'xon', 'netaxis'] as const;
export type ApiClientDialect = (typeof API_CLIENT_DIALECTS)[number];

export const apiClientSchema = z.object({
  name: z.string().trim().min(1).max(128),
  dialect: z.enum(API_CLIENT_DIALECTS),
  /** The user the app is registered to; without it the app is the organization's (the account's). */
  owner_id: kazooIdSchema.optional(),
});

export type ApiClientInput = z.input<typeof apiClientSchema>;

/** An API client as every read returns it: no secret, nor anything derived from it. */
export interface ApiClient extends z.output<typeof apiClientSchema>, SystemFields {
  account_id: string;
  /** The same as `id`: what the client presents (OAuth client_id). */
  client_id: string;
}

/** At rest: `<key id>:HMAC-SHA256(key, secret)`, the same value the platform-wide secret index is keyed by. */
export interface StoredApiClient extends ApiClient {
  pvt_secret_hash: string;
}
