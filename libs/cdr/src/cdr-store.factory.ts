import { silentLogger } from '@legwork/common';
import { RedisTargetError, redisTargetOf, redisUrlSchema } from '@legwork/redis';
import { z } from 'zod';
import { CdrError } from './cdr.errors';
import type { CdrStore, CdrStoreOptions } from './cdr.store';
import { MemoryCdrStore } from './memory-cdr-store.driver';
import { RedisCdrStore } from './redis-cdr-store.driver';

const optionsSchema = z.object({
  url: redisUrlSchema.optional(),
  prefix: z.string().min(1).max(64).default('lw:'),
  retentionMs: z.number().int().positive(),
});

/** Redis when `url` or `clusterNodes` is set, otherwise the in-process twin with the same semantics. */
export function createCdrStore(opts: CdrStoreOptions): CdrStore {
  const parsed = optionsSchema.safeParse({ url: opts.url, prefix: opts.prefix, retentionMs: opts.retentionMs });
  if (!parsed.success) throw new CdrError('invalid_input', `invalid cdr store options: ${z.prettifyError(parsed.error)}`);
  const { url, prefix, retentionMs } = parsed.data;
  const target = targetOf(url, opts.clusterNodes);
  if (target === undefined) return new MemoryCdrStore(retentionMs, opts.now);
  return new RedisCdrStore({ target, prefix, retentionMs, logger: opts.logger ?? silentLogger });
}

function targetOf(url: string | undefined, clusterNodes: CdrStoreOptions['clusterNodes']): ReturnType<typeof redisTargetOf> {
  try {
    return redisTargetOf({ url, clusterNodes });
  } catch (err) {
    if (err instanceof RedisTargetError) throw new CdrError('invalid_input', `invalid cdr store options: ${err.message}`, err.details);
    throw err;
  }
}
