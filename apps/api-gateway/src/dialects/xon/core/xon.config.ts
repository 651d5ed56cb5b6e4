import { z } from 'zod';

/** Settings of the X-on dialect, read from the environment at boot. */
export const xonConfigSchema = z.object({
  /** How long a push request waits for a media node's answer (its push service's retries included). */
  XON_PUSH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export type XonConfig = z.output<typeof xonConfigSchema>;

export const XON_CONFIG = Symbol('XON_CONFIG');

export function readXonConfig(env: Record<string, string | undefined> = process.env): XonConfig {
  const parsed = xonConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid X-on configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
