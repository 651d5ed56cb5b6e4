import { z } from 'zod';

/** The Netaxis dialect's settings, read from the environment. */
export const netaxisConfigSchema = z.object({
  /** How long the user's phones ring for a click-to-dial call, seconds. */
  NETAXIS_RING_TIMEOUT_S: z.coerce.number().int().min(1).max(600).default(30),
  /** How the media of a click-to-dial call flows: joined end to end (bypass) or anchored on rtpengine (process). */
  NETAXIS_MEDIA: z.enum(['bypass', 'process']).default('bypass'),
});

export type NetaxisConfig = z.output<typeof netaxisConfigSchema>;

export function readNetaxisConfig(env: Record<string, string | undefined> = process.env): NetaxisConfig {
  const parsed = netaxisConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid Netaxis configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** DI token of the NetaxisConfig. */
export const NETAXIS_CONFIG = Symbol('NETAXIS_CONFIG');
