import { displayNameProblem } from '@legwork/contracts';
import { BasixError } from '../core/basix.error';
import { parseDestination, type BasixDestination } from './destination.parser';

export const USER_SELECTORS = ['user_id', 'user_name', 'user_label', 'user_extension', 'user_did', 'user_email'] as const;
export const GROUP_SELECTORS = ['group_id', 'group_name', 'group_label', 'group_extension', 'group_did', 'group_resolver'] as const;
export type UserSelector = (typeof USER_SELECTORS)[number];
export type GroupSelector = (typeof GROUP_SELECTORS)[number];
/** `*`: any group the user belongs to; `any:CALL_CENTER`: any call-center group of the user. */
export const GROUP_RESOLVERS = ['*', 'any:CALL_CENTER'] as const;

/** The seed's default, and the ceiling Legwork keeps a ringing hunt to. */
export const DEFAULT_ANSWER_TIMEOUT_S = 180;
export const MAX_ANSWER_TIMEOUT_S = 3600;
const MAX_SELECTOR = 256;
const MAX_URL = 2048;
const MAX_CALLING_NAME = 64;

export interface CallUserRequest {
  user: { by: UserSelector; value: string };
  group?: { by: GroupSelector; value: string };
  answerTimeoutS: number;
  destination: BasixDestination;
  callbackUrl?: string;
  autoAnswer: boolean;
  callingName?: string;
}

const present = (body: Record<string, unknown>, key: string): boolean => body[key] !== undefined && body[key] !== null;

/** Ids, extensions and DIDs may come as JSON numbers (the seed's `"user_id": 1234`). */
function selectorValue(field: string, value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw BasixError.invalid(field, 'must be a non-empty string');
  if (value.length > MAX_SELECTOR) throw BasixError.invalid(field, `must be at most ${MAX_SELECTOR} characters`);
  return value.trim();
}

function userOf(body: Record<string, unknown>): CallUserRequest['user'] {
  const given = USER_SELECTORS.filter((k) => present(body, k));
  if (given.length === 0) throw new BasixError(400, 'user_required', `name the user to call with one of ${USER_SELECTORS.join(', ')}`);
  if (given.length > 1) throw new BasixError(400, 'user_ambiguous', `name the user with one parameter only (got ${given.join(', ')})`, given[1]);
  const by = given[0] as UserSelector;
  return { by, value: selectorValue(by, body[by]) };
}

function groupOf(body: Record<string, unknown>): CallUserRequest['group'] {
  const given = GROUP_SELECTORS.filter((k) => present(body, k));
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new BasixError(400, 'group_ambiguous', `give the group context with one parameter only (got ${given.join(', ')})`, given[1]);
  const by = given[0] as GroupSelector;
  const value = selectorValue(by, body[by]);
  if (by === 'group_resolver' && !(GROUP_RESOLVERS as readonly string[]).includes(value)) throw BasixError.invalid(by, `must be one of ${GROUP_RESOLVERS.map((r) => `"${r}"`).join(', ')}`);
  return { by, value };
}

function answerTimeoutOf(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_ANSWER_TIMEOUT_S;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_ANSWER_TIMEOUT_S) throw BasixError.invalid('answer_timeout', `must be a whole number of seconds from 1 to ${MAX_ANSWER_TIMEOUT_S}`);
  return n;
}

function autoAnswerOf(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw BasixError.invalid('auto_answer', 'must be true or false');
}

function callbackUrlOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > MAX_URL || !URL.canParse(value)) throw BasixError.invalid('callback_url', `must be an http or https URL of at most ${MAX_URL} characters`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw BasixError.invalid('callback_url', 'must be an http or https URL');
  if (url.username !== '' || url.password !== '') throw BasixError.invalid('callback_url', 'must not carry credentials');
  return url.href;
}

function callingNameOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  // the seed allows any ascii string: printable ASCII, and nothing a SIP display name cannot carry
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_CALLING_NAME || !/^[\x20-\x7e]+$/.test(value)) {
    throw BasixError.invalid('calling_name', `must be 1 to ${MAX_CALLING_NAME} printable ASCII characters`);
  }
  const why = displayNameProblem(value);
  if (why !== undefined) throw BasixError.invalid('calling_name', why);
  return value.trim();
}

/** The call_user body, checked parameter by parameter; the first fault is a 400 naming it. */
export function parseCallUser(body: unknown): CallUserRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BasixError(400, 'invalid_request', 'the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const user = userOf(b);
  const group = groupOf(b);
  if (!present(b, 'destination')) throw new BasixError(400, 'destination_required', 'destination is required', 'destination');
  const callbackUrl = callbackUrlOf(b['callback_url']);
  const callingName = callingNameOf(b['calling_name']);
  return {
    user,
    ...(group !== undefined ? { group } : {}),
    answerTimeoutS: answerTimeoutOf(b['answer_timeout']),
    destination: parseDestination(b['destination']),
    ...(callbackUrl !== undefined ? { callbackUrl } : {}),
    autoAnswer: autoAnswerOf(b['auto_answer']),
    ...(callingName !== undefined ? { callingName } : {}),
  };
}
