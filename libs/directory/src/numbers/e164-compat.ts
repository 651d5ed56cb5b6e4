import { parsePhoneNumber } from './phone-number';

/**
 * The origination core's number API (normalizeE164, formatNumber, isNanp) on libphonenumber: same names,
 * same signatures, so the hand-written rules can be swapped for these in one import.
 */

/** Number formats a Request-URI user can take (Kazoo's Invite-Format values that rewrite numbers). */
export type NumberFormat = 'e164' | 'npan' | '1npan' | 'strip_plus';

export interface NumberPlan {
  /** Country calling code assumed for national numbers; default "1" (NANP). */
  defaultCountryCode?: string;
  /** ISO 3166-1 alpha-2 country of national numbers (an account's `country`); wins over defaultCountryCode. */
  country?: string;
}

/**
 * E.164 form of a dialled number, or undefined when it is not one (extensions, short codes, garbage).
 * Accepts +…, 00…/011… international prefixes, and national numbers of the plan's country (NANP 10 and
 * 11 digit forms by default). National numbers must be valid in their country; international ones only possible.
 */
export function normalizeE164(input: string, plan: NumberPlan = {}): string | undefined {
  const ctx = plan.country !== undefined ? { country: plan.country, callingCode: plan.defaultCountryCode ?? '1' } : { callingCode: plan.defaultCountryCode ?? '1' };
  return parsePhoneNumber(input, ctx)?.e164;
}

export function isNanp(e164: string): boolean {
  return /^\+1[2-9]\d{2}[2-9]\d{6}$/.test(e164);
}

/** Rewrites a number as an Invite-Format asks; numbers that are not E.164-reconcilable pass through (strip_plus aside). */
export function formatNumber(input: string, format: NumberFormat, plan: NumberPlan = {}): string {
  const trimmed = input.trim();
  if (format === 'strip_plus') return trimmed.replace(/^\+/, '');
  const e164 = normalizeE164(trimmed, plan);
  if (e164 === undefined) return trimmed;
  if (format === 'e164') return e164;
  // Kazoo's npan/1npan leave numbers outside the NANP in E.164
  if (!isNanp(e164)) return e164;
  return format === 'npan' ? e164.slice(2) : e164.slice(1);
}
