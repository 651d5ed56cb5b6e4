import { z } from 'zod';
import { secret } from '@legwork/platform';

export const PUSH_SENDER_KINDS = ['gateway', 'apns', 'fcm'] as const;
export type PushSenderKind = (typeof PUSH_SENDER_KINDS)[number];

const SENDERS_ERROR = `must be a comma-separated list of provider=sender, sender one of ${PUSH_SENDER_KINDS.join(', ')} (e.g. apns=apns,fcm=fcm)`;

const optionalUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional();

/** RFC 8599 push wake-up of a media node: which sender serves which pn-provider, and how long a parked leg waits. */
export const mediaNodePushShape = {
  /** How long a leg parked for a push waits for its device's REGISTER (s); never longer than the call's ring timeout. */
  PUSH_WAKE_TIMEOUT_SECONDS: z.coerce.number({ error: 'must be an integer from 1 to 300' }).int({ error: 'must be an integer from 1 to 300' }).min(1, { error: 'must be an integer from 1 to 300' }).max(300, { error: 'must be an integer from 1 to 300' }).default(10),
  /** pn-provider → sender; providers not listed go to the generic gateway when PUSH_GATEWAY_URL is set. */
  PUSH_SENDERS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const map = new Map<string, PushSenderKind>();
      for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
        const [provider, kind, ...rest] = item.split('=').map((s) => s.trim());
        if (provider === undefined || provider === '' || rest.length > 0 || !(PUSH_SENDER_KINDS as readonly string[]).includes(kind ?? '')) {
          ctx.addIssue({ code: 'custom', message: SENDERS_ERROR });
          return z.NEVER;
        }
        map.set(provider.toLowerCase(), kind as PushSenderKind);
      }
      return map;
    }),
  /** The generic push gateway: POST JSON {provider, prid, param, kind, call_id, caller_name, reason}. */
  PUSH_GATEWAY_URL: optionalUrl,
  /** HMAC key the gateway's requests are signed with (X-Legwork-Signature, as webhooks). */
  PUSH_GATEWAY_SECRET: secret(z.string().min(16, { error: 'must be at least 16 characters' }).optional()),
  PUSH_GATEWAY_ATTEMPTS: z.coerce.number({ error: 'must be an integer from 1 to 10' }).int({ error: 'must be an integer from 1 to 10' }).min(1, { error: 'must be an integer from 1 to 10' }).max(10, { error: 'must be an integer from 1 to 10' }).default(3),
  /** APNs token auth: the .p8 key file, its key id, the team id and the app's bundle id (VoIP topic `<bundle>.voip`). */
  APNS_KEY_FILE: z.string().min(1).optional(),
  APNS_KEY_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character APNs key id').optional(),
  APNS_TEAM_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character Apple team id').optional(),
  APNS_BUNDLE_ID: z.string().min(1).optional(),
  /** Default https://api.push.apple.com. */
  APNS_URL: optionalUrl,
  /** A Google service-account key file (JSON) allowed to send FCM messages. */
  FCM_SERVICE_ACCOUNT_FILE: z.string().min(1).optional(),
  /** OAuth2 token endpoint; default the key file's token_uri. */
  FCM_TOKEN_URL: optionalUrl,
  /** Default https://fcm.googleapis.com. */
  FCM_URL: optionalUrl,
};

type PushConfig = { PUSH_SENDERS: Map<string, PushSenderKind> } & Partial<Record<'PUSH_GATEWAY_URL' | 'APNS_KEY_FILE' | 'APNS_KEY_ID' | 'APNS_TEAM_ID' | 'APNS_BUNDLE_ID' | 'FCM_SERVICE_ACCOUNT_FILE', string | undefined>>;

/** Each sender PUSH_SENDERS names has its settings; reported on the variable that is missing. */
export function pushSendersConfigured(c: PushConfig, ctx: z.RefinementCtx): void {
  const kinds = new Set(c.PUSH_SENDERS.values());
  const need = (variable: keyof PushConfig, why: string): void => {
    if (c[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: `is required when PUSH_SENDERS uses ${why}` });
  };
  if (kinds.has('gateway')) need('PUSH_GATEWAY_URL', 'gateway');
  if (kinds.has('apns')) for (const v of ['APNS_KEY_FILE', 'APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_BUNDLE_ID'] as const) need(v, 'apns');
  if (kinds.has('fcm')) need('FCM_SERVICE_ACCOUNT_FILE', 'fcm');
}

/** The pn-providers this node can push to, for its registrar (RFC 8599 §5.4): the named senders, any with a gateway. */
export function pushProvidersOf(c: Pick<PushConfig, 'PUSH_SENDERS' | 'PUSH_GATEWAY_URL'>): string[] {
  return c.PUSH_GATEWAY_URL !== undefined ? ['*'] : [...c.PUSH_SENDERS.keys()];
}

/** Node registry key: the UDP host:port other nodes send to when this node relays to a device's TCP/WS connection. */
export const SIP_RELAY_INFO = 'sip_relay';
