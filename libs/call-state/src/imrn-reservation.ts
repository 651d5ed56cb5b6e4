import { z } from 'zod';
import type { ImrnBinding } from './call-store';
import { parseInput } from './call-record';

const numberSchema = z.string().regex(/^\+?[0-9*#]{1,32}$/, 'must be digits with an optional leading +');
// a number or the route of a local user or device (its username): it becomes an originate Route
const routeSchema = z.string().regex(/^[A-Za-z0-9+*#._-]{1,128}$/, 'must be a number or a username');
const bindingSchema = z.object({
  accountId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/),
  userId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/).optional(),
  phoneNumber: routeSchema,
  callingPhoneNumber: numberSchema,
});
/** A reservation lives seconds to minutes; a day is the hard ceiling. */
const ttlSchema = z.number().int().min(1).max(86_400_000);
const poolSchema = z.array(z.string().regex(/^\+[0-9]{1,15}$/, 'IMRNs are E.164 numbers')).max(200_000);

export function parseImrnAllocation(pool: unknown, binding: unknown, ttlMs: unknown): { pool: string[]; binding: ImrnBinding; ttlMs: number } {
  return { pool: parseInput(poolSchema, pool, 'pool'), binding: parseInput(bindingSchema, binding, 'binding'), ttlMs: parseInput(ttlSchema, ttlMs, 'ttlMs') };
}

/** A number as dialled (an inbound To): anything else is no IMRN. */
export function isImrnCandidate(imrn: string): boolean {
  return /^\+[0-9]{1,15}$/.test(imrn);
}

/** A stored reservation read back; anything malformed counts as none. */
export function decodeImrnBinding(raw: string | null): ImrnBinding | null {
  if (raw === null) return null;
  try {
    const parsed = bindingSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
