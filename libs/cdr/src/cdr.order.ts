import { z } from 'zod';
import { CdrError } from './cdr.errors';
import type { Cdr, CdrQuery } from './cdr.store';

const WIDTH = 15;

/** Sort key: zero-padded createdAt then id, so lexical order is time order (Redis BYLEX, arrays alike). */
export function sortKey(createdAt: number, id: string): string {
  return `${String(createdAt).padStart(WIDTH, '0')}:${id}`;
}

export function idOfSortKey(key: string): string {
  return key.slice(WIDTH + 1);
}

/** Highest sort key a page may include (inclusive) and lowest (inclusive), or undefined for open ends. */
export function pageBounds(query: CdrQuery): { max?: string; min?: string } {
  const toBound = query.createdTo === undefined ? undefined : `${String(query.createdTo).padStart(WIDTH, '0')}:\u{10ffff}`;
  const candidates = [toBound, query.startKey].filter((k): k is string => k !== undefined);
  const max = candidates.length === 0 ? undefined : candidates.reduce((a, b) => (a < b ? a : b));
  const min = query.createdFrom === undefined ? undefined : String(query.createdFrom).padStart(WIDTH, '0');
  return { max, min };
}

const cdrSchema = z.object({
  id: z.string().min(1).max(256),
  accountId: z.string().min(1).max(256),
  createdAt: z.number().int().nonnegative().max(10 ** WIDTH - 1),
  doc: z.record(z.string(), z.unknown()),
});

const querySchema = z.object({
  createdFrom: z.number().int().nonnegative().optional(),
  createdTo: z.number().int().nonnegative().optional(),
  pageSize: z.number().int().min(1).max(1000),
  startKey: z.string().regex(/^\d{15}:.+$/, 'must be a key returned as next_start_key').optional(),
});

export function checkCdr(input: Cdr): Cdr {
  return parse(cdrSchema, input, 'cdr');
}

export function checkQuery(input: CdrQuery): CdrQuery {
  return parse(querySchema, input, 'cdr query');
}

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new CdrError('invalid_input', `invalid ${what}: ${z.prettifyError(parsed.error)}`, { issues: parsed.error.issues });
  return parsed.data;
}
