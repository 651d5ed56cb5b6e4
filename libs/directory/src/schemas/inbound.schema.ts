import { credentialProblem, sipSafe } from '@legwork/contracts';
import { z } from 'zod';
import { parseInboundSource } from '../inbound/inbound-sources';

/** Addresses a carrier's INVITEs may come from: single IPs or CIDR blocks, v4 or v6. */
export const inboundSourceSchema = z
  .string()
  .trim()
  .max(64)
  .refine((s) => parseInboundSource(s) !== undefined, { message: 'must be an IP address or a CIDR block (203.0.113.0/24)', params: { rule: 'format' } });

/** At most this many source entries per resource (each INVITE is matched against them). */
export const MAX_INBOUND_SOURCES = 64;

const credentialsSchema = z.object({
  username: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\s@:;"]+$/, 'must not contain spaces, @, :, ; or quotes')
    .superRefine(sipSafe(credentialProblem)),
  /** Write-only: kept as digest HA1s (H(username:realm:password), the account's realm), never as given. */
  password: z.string().min(1).max(128).optional(),
});

/**
 * Inbound calls from this carrier: an INVITE from one of `sources`, or answering a digest challenge with
 * `credentials`, may reach the DIDs of the resource's account and its sub-accounts.
 */
export const inboundSchema = z
  .object({
    enabled: z.boolean().default(false),
    sources: z.array(inboundSourceSchema).max(MAX_INBOUND_SOURCES).default([]),
    credentials: credentialsSchema.optional(),
    /** How the calls' RTP flows: anchored on rtpengine (`process`) or end to end (`bypass`); unset, `process` where the media node has rtpengine. */
    media: z.enum(['bypass', 'process']).optional(),
  })
  .superRefine((inbound, ctx) => {
    if (inbound.enabled && inbound.sources.length === 0 && inbound.credentials === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sources'], message: 'inbound calls need sources or credentials', params: { rule: 'required' } });
    }
  });

export type InboundInput = z.input<typeof inboundSchema>;
export type InboundFields = z.output<typeof inboundSchema>;
