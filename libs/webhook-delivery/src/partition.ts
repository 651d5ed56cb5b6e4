import type { DeliveryJob } from './delivery-job';

/** Default number of partition queues: several per worker for a handful of workers. */
export const DEFAULT_PARTITIONS = 16;

/** FNV-1a (32 bit): stable across processes and versions, which the routing depends on. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The call whose events must stay in order: the origination call the sequence counts (every leg of it),
 * else the leg's own Call-ID.
 */
export function orderingCallId(job: Pick<DeliveryJob, 'call_id' | 'payload'>): string {
  const origination = job.payload['origination_call_id'];
  return typeof origination === 'string' && origination !== '' ? origination : job.call_id;
}

/** One hook's deliveries for one call: run one at a time, in order. */
export const orderKey = (job: Pick<DeliveryJob, 'hook_id' | 'call_id' | 'payload'>): string => `${job.hook_id}|${orderingCallId(job)}`;

/** The partition a hook's deliveries for a call go through; every job of that pair lands in the same one. */
export function partitionOf(job: Pick<DeliveryJob, 'hook_id' | 'call_id' | 'payload'>, partitions: number): number {
  return fnv1a(orderKey(job)) % partitions;
}
