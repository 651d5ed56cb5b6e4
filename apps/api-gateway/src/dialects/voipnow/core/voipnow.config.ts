import { z } from 'zod';

/** The VoipNow dialect's settings, read from the environment. */
export const voipnowConfigSchema = z.object({
  /** callDuration when a request gives none (the seed's "global system value"), seconds. */
  VOIPNOW_CALL_DURATION_S: z.coerce.number().int().min(1).max(86_400).default(14_400),
  /** How long a nonce replays its phone call and a phone call's link.self answers, hours. */
  VOIPNOW_PHONE_CALL_TTL_HOURS: z.coerce.number().positive().max(720).default(24),
  /** How the media of a phone call flows: joined end to end (bypass) or anchored on rtpengine (process). */
  VOIPNOW_MEDIA: z.enum(['bypass', 'process']).default('bypass'),
});

export type VoipnowConfig = z.output<typeof voipnowConfigSchema>;

export function readVoipnowConfig(env: Record<string, string | undefined> = process.env): VoipnowConfig {
  const parsed = voipnowConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid VoipNow configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** DI token of the VoipnowConfig. */
export const VOIPNOW_CONFIG = Symbol('VOIPNOW_CONFIG');
