import { z } from 'zod';

/** Where the media nodes keep recordings (the same RECORDING_DIR, shared): unset, the account has none to list. */
export const recordingsConfigSchema = z.object({
  RECORDING_DIR: z
    .string()
    .max(1024)
    .refine((path) => path.startsWith('/') && ![...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'must be an absolute path without control characters')
    .optional(),
});

export type RecordingsConfig = z.output<typeof recordingsConfigSchema>;

/** The recordings settings (RecordingsConfig). */
export const RECORDINGS_CONFIG = Symbol('RECORDINGS_CONFIG');

export function readRecordingsConfig(env: Record<string, string | undefined> = process.env): RecordingsConfig {
  const parsed = recordingsConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid recordings configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
