import { z } from 'zod';

/** The quickcall settings of the Kazoo dialect, read from the environment. */
export const kazooQuickcallConfigSchema = z.object({
  /** Idempotency-Key lifetime. */
  KAZOO_IDEMPOTENCY_TTL_HOURS: z.coerce.number().positive().default(24),
});

export type KazooQuickcallConfig = z.output<typeof kazooQuickcallConfigSchema>;

export function readKazooQuickcallConfig(env: Record<string, string | undefined> = process.env): KazooQuickcallConfig {
  const parsed = kazooQuickcallConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid quickcall configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
