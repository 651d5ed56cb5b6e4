import { z } from 'zod';
import { splitList } from '@legwork/webhook-delivery';

/** Settings of the Basix dialect, read from the environment at boot. */
export const basixConfigSchema = z.object({
  /** Media of call_user calls (the seed has no parameter for it): `process` anchors RTP on rtpengine, as Kazoo's default. */
  BASIX_MEDIA: z.enum(['bypass', 'process']).default('process'),
  /** How long call_user waits, after the first leg is created, for the user's other terminals' legs. */
  BASIX_LEGS_GRACE_MS: z.coerce.number().int().min(0).max(5000).default(250),
  /** Hosts, IPs and CIDRs a callback_url may reach although private (the same list the webhook workers use). */
  WEBHOOK_ALLOWED_HOSTS: z.string().default('').transform(splitList),
});

export type BasixConfig = z.output<typeof basixConfigSchema>;

export const BASIX_CONFIG = Symbol('BASIX_CONFIG');

export function readBasixConfig(env: Record<string, string | undefined> = process.env): BasixConfig {
  const parsed = basixConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid Basix configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
