import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

/** How to read a number that is not written in international form. */
export interface NumberContext {
  /** ISO 3166-1 alpha-2 country of national numbers (an account's `country`); an unsupported code counts as none. */
  country?: string;
  /** Country calling code ("1", "44") of national numbers when no country is given. */
  callingCode?: string;
  /** A national number must be a valid number of its country (default), or only fit its lengths ('possible'). */
  national?: 'valid' | 'possible';
}

/** A number read by libphonenumber. */
export interface ParsedNumber {
  /** `+` and up to 15 digits. */
  e164: string;
  /** The country the number belongs to, when libphonenumber can tell (several share +1 and +7). */
  country?: string;
  callingCode: string;
  /** The national significant number (no trunk prefix). */
  nationalNumber: string;
  /** libphonenumber's full check of the digits, not only the length. */
  valid: boolean;
}

/** What a number may be written with: digits, a leading +, and the usual formatting, after an optional `tel:`. */
const WRITTEN = /^\+?[0-9\s().\-/]+$/;
const FORMATTING = /[\s().\-/]/g;
/** Longer input is not a phone number; refused before any parsing work. */
export const MAX_WRITTEN_NUMBER = 64;
const E164 = /^\+[1-9][0-9]{1,14}$/;

const CACHE_SIZE = 5_000;
const cache = new Map<string, ParsedNumber | null>();

function countryOf(ctx: NumberContext): CountryCode | undefined {
  const c = ctx.country?.trim().toUpperCase();
  return c !== undefined && isSupportedCountry(c) ? c : undefined;
}

function view(p: PhoneNumber): ParsedNumber | undefined {
  if (!E164.test(p.number)) return undefined;
  return Object.freeze({ e164: p.number, callingCode: p.countryCallingCode, nationalNumber: p.nationalNumber, valid: p.isValid(), ...(p.country !== undefined ? { country: p.country } : {}) });
}

function international(text: string): ParsedNumber | undefined {
  // Written internationally the caller said which country: the length must fit, the range need not be assigned yet.
  const p = parsePhoneNumberFromString(text);
  return p?.isPossible() === true ? view(p) : undefined;
}

function read(digits: string, ctx: NumberContext): ParsedNumber | undefined {
  const country = countryOf(ctx);
  const callingCode = country !== undefined ? getCountryCallingCode(country) : ctx.callingCode;
  if (digits.startsWith('+')) return international(digits);
  // 00 is the ITU international prefix, 011 the NANP one
  if (digits.startsWith('00')) return international(`+${digits.slice(2)}`);
  if (callingCode === '1' && digits.startsWith('011')) return international(`+${digits.slice(3)}`);
  const local = country !== undefined ? parsePhoneNumberFromString(digits, { defaultCountry: country }) : callingCode !== undefined ? parsePhoneNumberFromString(digits, { defaultCallingCode: callingCode }) : undefined;
  if (local !== undefined && (local.isValid() || (ctx.national === 'possible' && local.isPossible()))) return view(local);
  // E.164 written without its +: only a number libphonenumber fully recognizes
  const bare = parsePhoneNumberFromString(`+${digits}`);
  return bare?.isValid() === true ? view(bare) : undefined;
}

/**
 * Parses a phone number as people write it: E.164 (`+81312341234`), international with 00 (or 011 in the NANP),
 * national in the context's country (`0312341234` in JP), or E.164 without its `+`. Undefined for anything else
 * (extensions, short codes, letters, over 64 characters).
 */
export function parsePhoneNumber(input: unknown, ctx: NumberContext = {}): ParsedNumber | undefined {
  if (typeof input !== 'string' || input.length > MAX_WRITTEN_NUMBER) return undefined;
  const text = input.trim().replace(/^tel:/i, '');
  if (!WRITTEN.test(text)) return undefined;
  const digits = text.replace(FORMATTING, '');
  if (!/^\+?[0-9]+$/.test(digits)) return undefined;
  const key = `${ctx.country ?? ''}|${ctx.callingCode ?? ''}|${ctx.national ?? ''}|${digits}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = read(digits, ctx);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, parsed ?? null);
  return parsed;
}

/** The E.164 form of a written number (see parsePhoneNumber), or undefined. */
export function normalizeNumber(input: unknown, ctx: NumberContext = {}): string | undefined {
  return parsePhoneNumber(input, ctx)?.e164;
}

/** Why a written number is refused in this context, or undefined when it reads as one. */
export function phoneNumberProblem(input: unknown, ctx: NumberContext = {}): string | undefined {
  if (parsePhoneNumber(input, ctx) !== undefined) return undefined;
  const where = countryOf(ctx);
  return where !== undefined
    ? `must be a phone number: E.164 such as +14155550100, or national in ${where}`
    : 'must be a phone number in E.164 form such as +14155550100 (no country is set for national numbers)';
}

/** True for a number already in E.164 form that libphonenumber finds possible. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value) && parsePhoneNumber(value)?.e164 === value;
}
