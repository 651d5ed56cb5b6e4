import { credentialProblem, sipSafe, sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { realmSchema } from './common.schema';
import type { SipHa1 } from './device.schema';
import { inboundSchema } from './inbound.schema';
import { userPatternSchema } from './pattern.schema';

const SERVER_PATTERN = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

const serverSchema = z.string().refine(
  (s) => {
    const m = SERVER_PATTERN.exec(s);
    return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
  },
  { message: 'must be host or host:port', params: { rule: 'format' } },
);

// prefix and suffix wrap the number in the carrier's Request-URI user part
const affixSchema = z.string().max(32).superRefine((v, ctx) => (v === '' ? undefined : sipSafe(sipUserProblem)(v, ctx)));

export const gatewaySchema = z.object({
  server: serverSchema,
  realm: realmSchema.optional(),
  username: z.string().max(128).superRefine(sipSafe(credentialProblem)).optional(),
  password: z.string().max(128).optional(),
  enabled: z.boolean().default(true),
  prefix: affixSchema.default(''),
  suffix: affixSchema.default(''),
  codecs: z.array(z.string().min(1)).optional(),
});

export const resourceSchema = z.object({
  name: z.string().trim().min(1).max(128),
  enabled: z.boolean().default(true),
  gateways: z.array(gatewaySchema).min(1),
  /** Patterns (RE2 syntax) matched against the E.164 number. */
  rules: z.array(userPatternSchema).default([]),
  flags: z.array(z.string().min(1)).default([]),
  /** Lower is preferred, as in Kazoo. */
  weight_cost: z.number().int().min(1).max(100).default(50),
  /** Inbound calls from this carrier to the DIDs of the account (and its sub-accounts). */
  inbound: inboundSchema.optional(),
});

export type ResourceInput = z.input<typeof resourceSchema>;
export type Gateway = z.output<typeof gatewaySchema>;

type ResourceFields = z.output<typeof resourceSchema>;
type Inbound = NonNullable<ResourceFields['inbound']>;

/** A resource as every read returns it: the inbound digest password is never kept nor returned. */
export interface Resource extends Omit<ResourceFields, 'inbound'>, SystemFields {
  account_id: string;
  inbound?: Omit<Inbound, 'credentials'> & { credentials?: { username: string } };
}

/** What is kept at rest: the resource plus the HA1s of its inbound credentials (realm: the account's). */
export interface StoredResource extends Resource {
  pvt_inbound_ha1?: SipHa1;
}
