import { z } from 'zod';
import { parseInput } from './call-record';

const idSchema = z.string().min(1).max(256);
const ttlSchema = z.number().int().positive();
const countSchema = z.number().int().nonnegative();
const rateSchema = z.number().positive().finite();

/** Guards for scalar arguments, so bad input surfaces as `invalid_input` rather than a broken key. */
export const check = {
  id: (value: unknown, what: string): string => parseInput(idSchema, value, what),
  ttl: (value: unknown, what = 'ttlMs'): number => parseInput(ttlSchema, value, what),
  count: (value: unknown, what: string): number => parseInput(countSchema, value, what),
  rate: (value: unknown, what: string): number => parseInput(rateSchema, value, what),
};
