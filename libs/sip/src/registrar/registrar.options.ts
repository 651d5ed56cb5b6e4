import { type CallStore, type Clock, MAX_CONTACTS_LIMIT } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { Directory } from '@legwork/directory';
import { z } from 'zod';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../auth/digest-hash';
import type { NonceCounter } from '../auth/nonce-count.tracker';
import { RegistrarError } from './registrar.errors';

export interface RegistrarOptions {
  directory: Directory;
  calls: CallStore;
  /** Stored with each binding: the node holding the flow the REGISTER came in on. */
  nodeId: string;
  /** Nonce HMAC key, shared by every node of the cluster. */
  secret: string;
  minExpires?: number;
  maxExpires?: number;
  defaultExpires?: number;
  nonceTtlSeconds?: number;
  /**
   * RFC 8599 push services this deployment can send to, e.g. ['apns', 'fcm']; '*' for any. A pn-provider not listed is
   * refused 555; unset, pn-* parameters are stored without Feature-Caps (a registrar that does not handle push).
   */
  pushProviders?: string[];
  /** Default SHA-256 then MD5 (RFC 8760); older UAs (sipp 3.6, baresip 1.0) give up on any SHA-256 challenge, so set ['MD5'] for them. */
  algorithms?: DigestAlgorithm[];
  /** Bindings one AOR may hold (default 10); beyond it the oldest are replaced, and a REGISTER asking for more gets 403. */
  maxContacts?: number;
  /** Nonce-counts seen, shared by every node; default the call store's (`calls.nonces`). */
  nonces?: NonceCounter;
  /** Require the digest-uri to name the Request-URI; off by default since common UAs (sipp) put their next-hop address there. */
  strictDigestUri?: boolean;
  logger?: Logger;
  /** Epoch milliseconds for binding expiries and nonces. */
  clock?: Clock;
}

const schema = z
  .object({
    nodeId: z.string().min(1),
    secret: z.string().min(16, 'secret must be at least 16 characters'),
    minExpires: z.number().int().min(1).default(60),
    maxExpires: z.number().int().min(1).default(3600),
    defaultExpires: z.number().int().min(1).default(3600),
    nonceTtlSeconds: z.number().int().min(1).max(86_400).default(300),
    pushProviders: z.array(z.string().min(1).max(64)).optional(),
    algorithms: z.array(z.enum(DIGEST_ALGORITHMS)).min(1).default([...DIGEST_ALGORITHMS]),
    strictDigestUri: z.boolean().default(false),
    maxContacts: z.number().int().min(1).max(MAX_CONTACTS_LIMIT).default(10),
  })
  .refine((o) => o.minExpires <= o.maxExpires, { message: 'minExpires must not exceed maxExpires' });

export type RegistrarSettings = z.output<typeof schema>;

export function parseRegistrarOptions(options: RegistrarOptions): RegistrarSettings {
  const { nodeId, secret, minExpires, maxExpires, defaultExpires, nonceTtlSeconds, pushProviders, algorithms, strictDigestUri, maxContacts } = options;
  const parsed = schema.safeParse({ nodeId, secret, minExpires, maxExpires, defaultExpires, nonceTtlSeconds, pushProviders, algorithms, strictDigestUri, maxContacts });
  if (!parsed.success) throw new RegistrarError('invalid_config', `invalid registrar options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const s = parsed.data;
  // a default outside the bounds would make the registrar refuse or clamp its own default
  return { ...s, defaultExpires: Math.min(Math.max(s.defaultExpires, s.minExpires), s.maxExpires), pushProviders: s.pushProviders?.map((p) => p.toLowerCase()) };
}
