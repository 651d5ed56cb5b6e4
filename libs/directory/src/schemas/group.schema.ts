import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { kazooIdSchema } from './common.schema';
import { numberedFields } from './numbering.schema';

export const GROUP_TYPES = ['ring_group', 'call_center'] as const;
/** Kazoo ring groups' strategies: every member at once, or one after the other (by weight, then order). */
export const RING_STRATEGIES = ['simultaneous', 'single'] as const;

export const groupEndpointSchema = z.object({
  type: z.enum(['user', 'device']),
  weight: z.number().int().min(1).max(100).optional(),
});

export const groupSchema = z.object({
  name: z.string().trim().min(1).max(128),
  endpoints: z.record(kazooIdSchema, groupEndpointSchema).default({}),
  strategy: z.enum(RING_STRATEGIES).default('simultaneous'),
  type: z.enum(GROUP_TYPES).default('ring_group'),
  /** Users of the account who administer the group's members (the Netaxis dialect's GroupAdmin). */
  admins: z.array(kazooIdSchema).max(50).optional(),
  /** extension (unique in the account across users, devices and groups), dids (E.164, unique platform-wide), label (unique among the account's groups). */
  ...numberedFields,
});

export type GroupInput = z.input<typeof groupSchema>;
export type GroupType = (typeof GROUP_TYPES)[number];
export type RingStrategy = (typeof RING_STRATEGIES)[number];
export type GroupEndpoint = z.output<typeof groupEndpointSchema>;

export interface Group extends z.output<typeof groupSchema>, SystemFields {
  account_id: string;
}
