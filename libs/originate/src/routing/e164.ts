/** Number formats a Request-URI user can take (Kazoo's Invite-Format values that rewrite numbers). */
export type NumberFormat = 'e164' | 'npan' | '1npan' | 'strip_plus';

export interface NumberPlan {
  /** Country calling code assumed for national numbers; default "1" (NANP). */
  defaultCountryCode?: string;
}

const FORMATTING = /[\s().\-/]/g;
const NANP_10 = /^[2-9]\d{2}[2-9]\d{6}$/;

function e164Digits(digits: string): string | undefined {
  // E.164 allows at most 15 digits; anything under 8 is an extension or short code, not a routable number
  return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : undefined;
}

/**
 * E.164 form of a dialled number, or undefined when it is not one (extensions, short codes, garbage).
 * Accepts +…, 00…/011… international prefixes, NANP 10 and 11 digit forms, and national numbers
 * with a trunk 0 when the default country code is not 1.
 */
export function normalizeE164(input: string, plan: NumberPlan = {}): string | undefined {
  const cc = plan.defaultCountryCode ?? '1';
  const text = input.trim().replace(/^tel:/i, '').replace(FORMATTING, '');
  if (text.startsWith('+')) return /^\+\d+$/.test(text) ? e164Digits(text.slice(1)) : undefined;
  if (!/^\d+$/.test(text)) return undefined;
  if (cc === '1' && text.startsWith('011')) return e164Digits(text.slice(3));
  if (text.startsWith('00')) return e164Digits(text.slice(2));
  if (cc === '1') {
    if (NANP_10.test(text)) return `+1${text}`;
    if (text.length === 11 && text.startsWith('1') && NANP_10.test(text.slice(1))) return `+${text}`;
    return undefined;
  }
  if (text.startsWith('0')) return e164Digits(`${cc}${text.slice(1)}`);
  return undefined;
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
