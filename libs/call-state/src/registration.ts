import { z } from 'zod';

export const SIP_TRANSPORTS = ['udp', 'tcp', 'ws', 'wss', 'tls'] as const;
export type SipTransport = (typeof SIP_TRANSPORTS)[number];

export const contactSchema = z.object({
  uri: z.string().min(1),
  /** Absolute expiry, epoch ms. */
  expiresAt: z.number().int().nonnegative(),
  /** The media node holding the connection the REGISTER arrived on. */
  nodeId: z.string().min(1),
  transport: z.enum(SIP_TRANSPORTS),
  flowToken: z.string().optional(),
  source: z.string().optional(),
  instanceId: z.string().min(1).optional(),
  regId: z.number().int().nonnegative().optional(),
  userAgent: z.string().optional(),
  pushProvider: z.string().optional(),
  pushPrid: z.string().min(1).optional(),
  pushParam: z.string().optional(),
  path: z.array(z.string()).optional(),
  callId: z.string().optional(),
  cseq: z.number().int().nonnegative().optional(),
  /** When the binding was last written (epoch ms): the oldest go first once an AOR is full. */
  registeredAt: z.number().int().nonnegative().optional(),
});
export type Contact = z.infer<typeof contactSchema>;

/** What identifies a binding: the instance (+reg-id, RFC 5626) when the UA sent one, else the URI. */
export type ContactRef = Pick<Contact, 'uri' | 'instanceId' | 'regId'>;

export const aorSchema = z.string().min(3).regex(/^[^@\s]+@[^@\s]+$/, 'AOR must be user@realm');

export function contactKey(ref: ContactRef): string {
  if (ref.instanceId === undefined) return `uri:${ref.uri}`;
  return ref.regId === undefined ? `inst:${ref.instanceId}` : `inst:${ref.instanceId};reg-id=${ref.regId}`;
}

export interface PushBinding {
  aor: string;
  contact: Contact;
}

/** An AOR's last RFC 8599 push parameters: what wakes the device once its binding has lapsed. */
export interface LastPush {
  provider: string;
  prid: string;
  param?: string;
}

/** How long an AOR's push parameters outlive the REGISTER that gave them (a device asleep for weeks is still pushable). */
export const LAST_PUSH_TTL_MS = 30 * 24 * 3600 * 1000;

/** The push parameters of the last pushable contact among these, if any. */
export function lastPushOf(contacts: Contact[]): LastPush | undefined {
  const c = [...contacts].reverse().find((x) => x.pushProvider !== undefined && x.pushPrid !== undefined);
  if (c?.pushProvider === undefined || c.pushPrid === undefined) return undefined;
  return { provider: c.pushProvider, prid: c.pushPrid, ...(c.pushParam !== undefined ? { param: c.pushParam } : {}) };
}

/** Contacts one AOR may hold at most, whatever the caller asks (a registrar's cap is configured below it). */
export const MAX_CONTACTS_LIMIT = 1000;

/** Eviction order once an AOR is full: least recently registered first (unknown = oldest), then soonest expiry. */
export function olderBinding(a: [string, Contact], b: [string, Contact]): number {
  return (a[1].registeredAt ?? 0) - (b[1].registeredAt ?? 0) || a[1].expiresAt - b[1].expiresAt || a[0].localeCompare(b[0]);
}
