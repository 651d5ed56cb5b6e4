import { z } from 'zod';
import { isPlainObject } from './provisioning.values';
import { kazooValidationError } from '../core/kazoo.contract';

/** Kazoo request envelope: the document travels in `data`. */
const envelopeSchema = z.object({ data: z.record(z.string(), z.unknown()) });

/** The document inside `{"data": {...}}`, or Kazoo's 400 naming `data`. */
export function documentOf(body: unknown): Record<string, unknown> {
  const parsed = envelopeSchema.safeParse(body);
  if (parsed.success) return parsed.data.data;
  const given = isPlainObject(body) ? body['data'] : undefined;
  const rule = given === undefined ? 'required' : 'type';
  const message = rule === 'required' ? 'request body must be {"data": {...}}' : 'must be an object';
  throw kazooValidationError([{ field: 'data', rule, message }]);
}

/** `If-Match: <revision>` turns a write into a compare-and-set (409 when someone wrote first). */
export function revisionOf(ifMatch: string | undefined): string | undefined {
  const value = ifMatch?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return value ? value : undefined;
}
