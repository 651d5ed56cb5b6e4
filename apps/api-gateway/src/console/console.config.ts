import { resolve } from 'node:path';
import { z } from 'zod';

const wsUrl = z
  .url({ error: 'must be a ws:// or wss:// URL' })
  .refine((v) => /^wss?:\/\//i.test(v), { error: 'must be a ws:// or wss:// URL' })
  .refine((v) => !/[\s'";,]/.test(v), { error: 'must not contain spaces, quotes, commas or semicolons' });

/** Where the built console lives: apps/console/dist, at the same depth from this file's src and dist folders. */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '../../../console/dist');

/** The gateway's web console variables (served at /console). */
export const consoleConfigShape = {
  CONSOLE_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The built console's folder (`npm run build` writes it). */
  CONSOLE_DIR: z.string().min(1).default(DEFAULT_CONSOLE_DIR),
  /** Where browsers open the blackhole event stream; unset: the page's own host on CONSOLE_EVENTS_PORT. */
  CONSOLE_EVENTS_URL: wsUrl.optional(),
  /** The websockets app's port as browsers reach it (the all-in-one launcher sets the port it bound). */
  CONSOLE_EVENTS_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65_535).default(5555),
};
