import type { Logger } from '@legwork/common';
import type { RedisClient } from '@legwork/redis';
import type { ChainableCommander } from 'ioredis';
import { CallStateError } from '../call-state.errors';
import type { CallStoreKeys } from '../call-store.keys';
import type { Clock } from '../clock';

/** What every Redis-backed section shares. */
export interface RedisContext {
  redis: RedisClient;
  keys: CallStoreKeys;
  clock: Clock;
  logger: Logger;
  endedTtlMs: number;
  /** One Redis, not told to write as on a Cluster: a script may touch keys of several slots. */
  crossSlot: boolean;
}

/** Runs a store operation, turning transport failures into `store_unavailable`. */
export async function guard<T>(op: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CallStateError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new CallStateError('store_unavailable', `${op} failed: ${reason}`, { op });
  }
}

/** EXEC a MULTI/pipeline and unwrap replies, failing on the first error. */
export async function execAll(chain: ChainableCommander): Promise<unknown[]> {
  const replies = await chain.exec();
  if (!replies) throw new Error('transaction aborted');
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

export function toHash(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  // HGETALL replies arrive as a flat array or an object, depending on the command path.
  if (Array.isArray(value)) {
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < value.length; i += 2) hash[String(value[i])] = String(value[i + 1]);
    return hash;
  }
  return value as Record<string, string>;
}
