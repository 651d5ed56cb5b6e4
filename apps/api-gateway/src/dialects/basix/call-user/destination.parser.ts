import { BasixError } from '../core/basix.error';

/** Who the PSTN destination is, for the CTI apps that render the call (id, name, organization, avatar, prefecture, …). */
export type EndUser = Record<string, string>;

export interface BasixDestination {
  /** What to connect the answered user to: a number, a user name, an extension or a group. */
  target: string;
  /** The caller id the PSTN destination sees. */
  callingNumber?: string;
  endUser?: EndUser;
}

const MAX_TARGET = 128;
const MAX_VALUE = 256;
const MAX_KEYS = 16;
const KEY = /^[a-z][a-z0-9_]{0,31}$/;
// printable text only: end_user values are shown by web apps and travel in channel variables
const printable = (v: string): boolean => [...v].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);

const invalid = (message: string): BasixError => BasixError.invalid('destination', message);

function textOf(value: unknown, what: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${what} must be a non-empty string`);
  if (value.length > MAX_TARGET) throw invalid(`${what} must be at most ${MAX_TARGET} characters`);
  return value.trim();
}

function endUserEntry(key: string, value: unknown): [string, string] {
  const k = key.trim().toLowerCase();
  if (!KEY.test(k)) throw BasixError.invalid('end_user', `key "${key.slice(0, 40)}" must be a lower-case word (letters, digits, _)`);
  const v = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_VALUE || !printable(v)) throw BasixError.invalid('end_user', `${k} must be printable text of 1 to ${MAX_VALUE} characters`);
  return [k, v.trim()];
}

function endUserOf(entries: Array<[string, unknown]>): EndUser | undefined {
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_KEYS) throw BasixError.invalid('end_user', `must have at most ${MAX_KEYS} fields`);
  return Object.fromEntries(entries.map(([k, v]) => endUserEntry(k, v)));
}

/** `{name=Charles Xavier,organization=X-Men}0312341234`: end_user fields, then the number. */
function inline(text: string): BasixDestination {
  const close = text.indexOf('}');
  if (close === -1) throw invalid('opens "{" without closing it: use {key=value,...}NUMBER');
  const fields = text.slice(1, close).split(',').filter((part) => part.trim() !== '');
  const entries = fields.map((part): [string, unknown] => {
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalid(`"${part.slice(0, 40)}" must be key=value`);
    return [part.slice(0, eq), part.slice(eq + 1)];
  });
  const target = textOf(text.slice(close + 1), 'the number after {…}');
  const endUser = endUserOf(entries);
  return { target, ...(endUser !== undefined ? { endUser } : {}) };
}

function detailed(obj: Record<string, unknown>): BasixDestination {
  if (obj['called_number'] === undefined || obj['called_number'] === null) throw invalid('called_number is required in the object form');
  const target = textOf(obj['called_number'], 'called_number');
  const calling = obj['calling_number'];
  const callingNumber = calling === undefined || calling === null ? undefined : textOf(calling, 'calling_number');
  const raw = obj['end_user'];
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw BasixError.invalid('end_user', 'must be an object');
  const endUser = raw === undefined || raw === null ? undefined : endUserOf(Object.entries(raw as Record<string, unknown>));
  return { target, ...(callingNumber !== undefined ? { callingNumber } : {}), ...(endUser !== undefined ? { endUser } : {}) };
}

/** The three forms of `destination`: a string, `{called_number, calling_number, end_user}`, or the inline `{…}NUMBER`. */
export function parseDestination(value: unknown): BasixDestination {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return detailed(value as Record<string, unknown>);
  const text = textOf(value, 'destination');
  return text.startsWith('{') ? inline(text) : { target: text };
}
