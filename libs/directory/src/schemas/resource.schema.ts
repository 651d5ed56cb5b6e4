import { credentialProblem, sipSafe, sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { realmSchema } from './common.schema';
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
});

export type ResourceInput = z.input<typeof resourceSchema>;
export type Gateway = z.output<typeof gatewaySchema>;

export interface Resource extends z.output<typeof resourceSchema>, SystemFields {
  account_id: string;
}
