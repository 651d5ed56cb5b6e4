import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';

/** Kazoo's hook events, plus Legwork's `originate_failed`. */
export const WEBHOOK_EVENTS = ['channel_create', 'channel_answer', 'channel_bridge', 'channel_destroy', 'originate_failed', 'all'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const httpUri = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), { message: 'must be an http(s) URL', params: { rule: 'format' } });

export const webhookSchema = z.object({
  name: z.string().trim().min(1).max(128),
  uri: httpUri,
  http_verb: z.enum(['get', 'post', 'put']).default('post'),
  hook: z.enum(WEBHOOK_EVENTS),
  retries: z.number().int().min(0).max(5).default(3),
  custom_data: z.record(z.string(), z.string().max(1024)).default({}),
  include_subaccounts: z.boolean().default(false),
  format: z.enum(['json', 'form-data']).default('json'),
  enabled: z.boolean().default(true),
});

export type WebhookInput = z.input<typeof webhookSchema>;

export interface Webhook extends z.output<typeof webhookSchema>, SystemFields {
  account_id: string;
  /** HMAC-SHA256 key of the delivery signature; generated at create, kept across writes. */
  secret: string;
  /** Why the platform disabled the hook (cleared by re-enabling). */
  disabled_reason?: string;
}

/** One delivery attempt, as served at …/webhooks/{ID}/attempts. */
export interface WebhookAttempt {
  /** Unix milliseconds. */
  timestamp: number;
  hook_event: string;
  call_id?: string;
  attempt: number;
  result: 'success' | 'failure' | 'gone';
  status_code?: number;
  error?: string;
  duration_ms: number;
}
