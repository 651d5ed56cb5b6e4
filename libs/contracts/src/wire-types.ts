import { z } from 'zod';

/** Building blocks for wire fields: Kazoo publishers are loose about scalars, so these coerce. */

export const wireString = z.string({ error: 'must be a string' }).min(1, 'must not be empty');

/** Kazoo sends booleans, but some publishers send "true"/"false" strings. */
export const wireBoolean = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be a boolean (true or false)' })
  .transform((v) => v === true || v === 'true');

const numericInput = z.union([z.number(), z.string().regex(/^\d+$/)], { error: 'must be a whole number' });

/** Seconds and counts: numbers, or numeric strings as some Kazoo publishers send them. */
export const positiveInt = numericInput
  .transform(Number)
  .pipe(z.number().int('must be a whole number').positive('must be greater than 0'));

export const nonNegativeInt = numericInput
  .transform(Number)
  .pipe(z.number().int('must be a whole number').nonnegative('must not be negative'));

export const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, number, boolean or null',
});

/** Custom-Channel-Vars / Custom-Application-Vars: flat maps of scalars (they become channel variables). */
export const scalarRecord = z.record(z.string(), scalar, { error: 'must be an object of scalar values' });

export const customSipHeaders = z.record(z.string(), z.union([z.string(), z.number()]), {
  error: 'must be an object of header name to string value',
});

/** An echoed or embedded JSON object whose shape is not ours to check. */
export const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be an object' });

export const stringList = z.array(z.string(), { error: 'must be an array of strings' });
