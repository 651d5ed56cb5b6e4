import calculateSlot from 'cluster-key-slot';
import type { RedisClient } from './redis-client.factory';
import { isCluster } from './redis-client.factory';

/**
 * MGET that a Cluster accepts: keys are grouped by slot (one MGET per slot, sent in parallel), answers
 * come back in the order asked. On one Redis it is a single MGET.
 */
export async function mgetAcrossSlots(client: RedisClient, keys: readonly string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  if (!isCluster(client)) return client.mget(...keys);
  const bySlot = new Map<number, number[]>();
  keys.forEach((key, index) => {
    const slot = calculateSlot(key);
    const group = bySlot.get(slot);
    if (group === undefined) bySlot.set(slot, [index]);
    else group.push(index);
  });
  const out: (string | null)[] = new Array<string | null>(keys.length).fill(null);
  await Promise.all(
    [...bySlot.values()].map(async (indexes) => {
      const values = await client.mget(...indexes.map((i) => keys[i]));
      indexes.forEach((at, i) => {
        out[at] = values[i] ?? null;
      });
    }),
  );
  return out;
}

/** Every key matching `pattern`: SCAN on one Redis, SCAN on each master of a Cluster (a replica holds copies only). */
export async function scanKeys(client: RedisClient, pattern: string, count = 500): Promise<string[]> {
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
  }
  return found;
}

/** Deletes every key matching `pattern` (one DEL per key: keys of a Cluster sit in many slots); returns how many went. */
export async function deleteMatching(client: RedisClient, pattern: string): Promise<number> {
  const keys = await scanKeys(client, pattern);
  const deleted = await Promise.all(keys.map((key) => client.del(key)));
  return deleted.reduce((sum, n) => sum + n, 0);
}
