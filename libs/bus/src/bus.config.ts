import { silentLogger, type Logger } from '@legwork/common';
import { z } from 'zod';
import type { BusOptions } from './bus.driver';
import { BusError } from './bus.error';
import { brokerUrlsSchema } from './broker-urls';

const nameSegment = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');


const optionsSchema = z.object({
  url: brokerUrlsSchema.optional(),
  appName: nameSegment,
  nodeId: nameSegment,
  namespace: z.union([nameSegment, z.literal('')]).default(''),
  publishTimeoutMs: z.number().int().positive().max(600_000).default(10_000),
  prefetch: z.number().int().min(1).max(65_535).default(50),
  startTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
  exchangeMigration: z.enum(['auto', 'manual']).default('auto'),
});

type ParsedOptions = z.infer<typeof optionsSchema>;

/** `urls`: the brokers in the order they are tried (several nodes of one cluster); absent selects the in-process bus. */
export type BusConfig = Omit<ParsedOptions, 'url'> & { urls?: string[]; logger: Logger };

/** Validates caller options once so drivers can trust every field. */
export function resolveBusConfig(opts: BusOptions): BusConfig {
  const { logger, ...rest } = opts;
  const parsed = optionsSchema.safeParse(rest);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new BusError('bus_invalid_config', `invalid bus options: ${issues.join('; ')}`, { issues });
  }
  const { url, ...fields } = parsed.data;
  return { ...fields, ...(url !== undefined ? { urls: url } : {}), logger: logger ?? silentLogger };
}
