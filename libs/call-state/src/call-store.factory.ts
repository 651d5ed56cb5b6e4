import { silentLogger } from '@legwork/common';
import { type RedisTarget, RedisTargetError, redisTargetOf, redisUrlSchema } from '@legwork/redis';
import { z } from 'zod';
import { parseInput } from './call-record';
import { CallStateError } from './call-state.errors';
import type { CallStore, CallStoreOptions } from './call-store';
import { systemClock } from './clock';
import { DEFAULT_EVENT_LOG_BOUNDS, parseBounds } from './event-log';
import { MemoryCallStore } from './memory/memory-call-store.driver';
import { RedisCallStore } from './redis/redis-call-store.driver';

const DEFAULT_ENDED_TTL_MS = 60 * 60 * 1000;

const optionsSchema = z.object({
  url: redisUrlSchema.optional(),
  prefix: z.string().min(1).max(64).default('lw:'),
  endedTtlMs: z.number().int().positive().default(DEFAULT_ENDED_TTL_MS),
});

/** Redis when `url` or `clusterNodes` is set, otherwise the in-process twin with identical semantics. */
export function createCallStore(opts: CallStoreOptions = {}): CallStore {
  const { url, prefix, endedTtlMs } = parseInput(optionsSchema, { url: opts.url, prefix: opts.prefix, endedTtlMs: opts.endedTtlMs }, 'call store options');
  const eventLog = parseBounds(opts.eventLog ?? DEFAULT_EVENT_LOG_BOUNDS);
  const clock = opts.clock ?? systemClock;
  const target = targetOf(url, opts.clusterNodes);
  if (target === undefined) return new MemoryCallStore(clock, endedTtlMs, eventLog);
  return new RedisCallStore({ target, prefix, endedTtlMs, clock, eventLog, logger: opts.logger ?? silentLogger, autoPipelining: opts.autoPipelining !== false, singleSlotScripts: opts.singleSlotScripts === true });
}

function targetOf(url: string | undefined, clusterNodes: CallStoreOptions['clusterNodes']): RedisTarget | undefined {
  try {
    return redisTargetOf({ url, clusterNodes });
  } catch (err) {
    if (err instanceof RedisTargetError) throw new CallStateError('invalid_input', `invalid call store options: ${err.message}`, err.details);
    throw err;
  }
}
