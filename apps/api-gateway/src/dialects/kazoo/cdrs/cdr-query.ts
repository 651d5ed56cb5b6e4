import type { CdrQuery } from '@legwork/cdr';
import { unixMsFromGregorian } from '@legwork/contracts';
import { z } from 'zod';
import { kazooParse } from '../core/kazoo-parse';

export const DEFAULT_PAGE_SIZE = 50;

const gregorian = z.coerce.number({ error: 'must be gregorian seconds' }).int('must be gregorian seconds').nonnegative('must be gregorian seconds');

const querySchema = z
  .object({
    created_from: gregorian.optional(),
    created_to: gregorian.optional(),
    page_size: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).max(1000).default(DEFAULT_PAGE_SIZE),
    start_key: z.string().regex(/^\d{15}:.+$/, 'must be a next_start_key from a previous page').optional(),
  })
  .refine((q) => q.created_from === undefined || q.created_to === undefined || q.created_from <= q.created_to, {
    path: ['created_to'],
    message: 'must not be before created_from',
  });

/** Kazoo's CDR listing filters: gregorian seconds (inclusive range) and start_key/page_size paging. */
export function parseCdrQuery(raw: Record<string, unknown>): CdrQuery {
  const q = kazooParse(querySchema, raw);
  return {
    pageSize: q.page_size,
    ...(q.start_key !== undefined ? { startKey: q.start_key } : {}),
    ...(q.created_from !== undefined ? { createdFrom: unixMsFromGregorian(q.created_from) } : {}),
    ...(q.created_to !== undefined ? { createdTo: unixMsFromGregorian(q.created_to) + 999 } : {}),
  };
}
