import type { NumberClass } from '@legwork/directory';
import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';

/** What a destination is: its classes (libphonenumber's type, `unknown` when it cannot tell) and its country. */
export interface NumberFacts {
  e164: string;
  classes: NumberClass[];
  country?: string;
}

const CLASS_OF: Record<NonNullable<NumberType>, NumberClass> = {
  PREMIUM_RATE: 'premium_rate', SHARED_COST: 'shared_cost', TOLL_FREE: 'toll_free', FIXED_LINE: 'fixed_line', MOBILE: 'mobile',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile', VOIP: 'voip', PERSONAL_NUMBER: 'personal_number', PAGER: 'pager', UAN: 'uan', VOICEMAIL: 'voicemail',
};

const CACHE_SIZE = 5_000;
const cache = new Map<string, NumberFacts>();

/** Classifies an E.164 number (cached: the same destinations are dialled again and again). */
export function numberFacts(e164: string): NumberFacts {
  const hit = cache.get(e164);
  if (hit !== undefined) return hit;
  const parsed = parsePhoneNumberFromString(e164);
  const type = parsed?.isValid() === true ? parsed.getType() : undefined;
  const facts: NumberFacts = { e164, classes: [type !== undefined ? CLASS_OF[type] : 'unknown'], ...(parsed?.country !== undefined ? { country: parsed.country } : {}) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(e164, facts);
  return facts;
}
