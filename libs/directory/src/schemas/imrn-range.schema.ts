import { z } from 'zod';

/** The most numbers one IMRN range may hold: allocation walks the pool, so it stays small. */
export const IMRN_RANGE_MAX = 10_000;

const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number such as +3236548200');

/** `{first, last}`: E.164 numbers of one length, first ≤ last, at most IMRN_RANGE_MAX numbers. */
export const imrnRangeSchema = z
  .object({ first: e164, last: e164 })
  .refine((r) => r.first.length === r.last.length && r.first <= r.last, { message: 'first and last must have the same length and first must not be above last', path: ['last'] })
  .refine((r) => r.first.length !== r.last.length || BigInt(r.last) - BigInt(r.first) < BigInt(IMRN_RANGE_MAX), { message: `a range holds at most ${IMRN_RANGE_MAX} numbers`, path: ['last'] });

export type ImrnRange = z.output<typeof imrnRangeSchema>;

/** Every number of the ranges, in order (ranges as validated: same length, bounded). */
export function imrnNumbers(ranges: readonly ImrnRange[]): string[] {
  const numbers: string[] = [];
  for (const { first, last } of ranges) {
    const width = first.length - 1;
    for (let n = BigInt(first); n <= BigInt(last); n += 1n) numbers.push(`+${n.toString().padStart(width, '0')}`);
  }
  return numbers;
}
