import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';

/** Kazoo's hook events, plus Legwork's `originate_failed` and the push wake-up events (RFC 8599). */
export const WEBHOOK_EVENTS = ['channel_create', 'channel_answer', 'channel_bridge', 'channel_destroy', 'originate_failed', 'push_sent', 'push_failed', 'device_registered', 'all'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const httpUri = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), { message: 'must be an http(s) URL', params: { rule: 'format' } });

const modifierValue = z.union([z.string().max(256), z.number(), z.boolean()]);

/**
 * Kazoo's undeclared `modifiers` (webhooks_util:maybe_fire_hook): payload key → value, or list of values,
 * the event must carry for the hook to fire; an event without the key passes, an empty list passes.
 */
export const webhookModifiersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'keys must be payload field names (letters, digits, _ or -, at most 64)' }), z.union([modifierValue, z.array(modifierValue).max(100)]))
  .refine((m) => Object.keys(m).length <= 32, { message: 'at most 32 modifiers', params: { rule: 'maxProperties' } });

/** Kazoo's webhooks.json: its defaults and ranges. */
export const webhookSchema = z.object({
  name: z.string().trim().min(1).max(128),
  uri: httpUri,
  http_verb: z.enum(['get', 'post', 'put']).default('post'),
  hook: z.enum(WEBHOOK_EVENTS),
  /** At most max(1, retries) delivery attempts in all (kzd_webhooks:retries/1 counts attempts, not retries). */
  retries: z.number().int().min(0).max(4).default(2),
  custom_data: z.record(z.string(), z.string().max(1024)).default({}),
  include_subaccounts: z.boolean().default(false),
  /** false: events of internal (loopback) legs are not delivered. */
  include_internal_legs: z.boolean().default(true),
  modifiers: webhookModifiersSchema.optional(),
  format: z.enum(['form-data', 'json']).default('form-data'),
  enabled: z.boolean().default(true),
});

export type WebhookInput = z.input<typeof webhookSchema>;
export type WebhookModifiers = z.output<typeof webhookModifiersSchema>;

export interface Webhook extends z.output<typeof webhookSchema>, SystemFields {
  account_id: string;
  /** HMAC-SHA256 key of the delivery signature; generated at create, kept across writes. */
  secret: string;
  /** Why the platform disabled the hook (cleared by re-enabling); only auto-disabled hooks carry one. */
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

/** An attempt in the account-wide log (…/webhooks/attempts): which hook made it. */
export interface AccountWebhookAttempt extends WebhookAttempt {
  hook_id: string;
}
