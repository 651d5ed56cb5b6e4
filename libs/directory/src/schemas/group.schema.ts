import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { kazooIdSchema } from './common.schema';

export const groupEndpointSchema = z.object({
  type: z.enum(['user', 'device']),
  weight: z.number().int().min(1).max(100).optional(),
});

export const groupSchema = z.object({
  name: z.string().trim().min(1).max(128),
  endpoints: z.record(kazooIdSchema, groupEndpointSchema).default({}),
  strategy: z.enum(['simultaneous', 'single']).default('simultaneous'),
});

export type GroupInput = z.input<typeof groupSchema>;
export type GroupEndpoint = z.output<typeof groupEndpointSchema>;

export interface Group extends z.output<typeof groupSchema>, SystemFields {
  account_id: string;
}
