import { compileUserPattern, userPatternProblem, type UserPattern } from '@legwork/common';
import { displayNameProblem, sipUserProblem } from '@legwork/contracts';
import { kazooValidationError, type KazooIssue } from '../core/kazoo.contract';

export type CavValue = string | number | boolean | null;

/** `regex` is the caller's pattern, run on RE2 (linear time: a catastrophic pattern cannot block the gateway). */
export type NumberFilter = { kind: 'strip' } | { kind: 'keep' } | { kind: 'regex'; regex: UserPattern };

/** Seed 000's request options after Kazoo's defaults are applied. */
export interface QuickcallOptions {
  autoAnswer: boolean;
  cidName?: string;
  cidNumber?: string;
  cavs: Record<string, CavValue>;
  ignoreEarlyMedia: boolean;
  media: 'bypass' | 'process';
  numberFilter: NumberFilter;
  targetCallId?: string;
  /** Ring timeout in seconds. */
  timeout: number;
}

export interface QuickcallOptionSources {
  /** The request body's `data` object. */
  data?: unknown;
  query?: Record<string, unknown>;
  /** The request body's top-level keys (besides `data`). */
  body?: unknown;
}

export const QUICKCALL_OPTION_KEYS = [
  'auto_answer', 'cid-name', 'cid-number', 'custom_application_vars', 'ignore-early-media', 'media', 'number_filter', 'target_call_id', 'timeout',
] as const;

/** Keys that never become custom application vars: the options and crossbar's own request keys. */
const RESERVED_CAV_KEYS = new Set<string>([...QUICKCALL_OPTION_KEYS, 'auth_token', 'pretty_print', 'request_id', 'verb', 'accept', 'data', 'account_id', '_']);

export const DEFAULT_TIMEOUT_S = 30;
/** Kazoo's QCALL_NUMBER_FILTER: what `number_filter: true` removes. */
const NUMBER_FILTER_CHARS = /[ ,.\-()]/g;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Query strings may repeat a key; the last one counts. */
function single(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

class IssueList {
  readonly issues: KazooIssue[] = [];

  add(field: string, rule: string, message: string, value: unknown): undefined {
    this.issues.push({ field, rule, message, value });
    return undefined;
  }
}

function toBoolean(field: string, value: unknown, issues: IssueList): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return issues.add(field, 'type', 'must be a boolean (true or false)', value);
}

function toText(field: string, value: unknown, issues: IssueList): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) return issues.add(field, 'type', 'must be a non-empty string of at most 256 characters', value);
  return value;
}

/** cid-name and cid-number reach the phone's INVITE (From): the shared SIP rules decide, where they enter. */
function toSipText(field: string, value: unknown, problem: (text: string) => string | undefined, issues: IssueList): string | undefined {
  const text = toText(field, value, issues);
  if (text === undefined) return undefined;
  const why = problem(text);
  return why === undefined ? text : issues.add(field, 'format', why, text);
}

/** Kazoo's rule: an integer above 3, anything else quietly becomes 30. */
export function ringTimeout(value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 3 ? n : DEFAULT_TIMEOUT_S;
}

function toNumberFilter(value: unknown, issues: IssueList): NumberFilter {
  if (value === undefined || value === true || value === 'true') return { kind: 'strip' };
  if (value === false || value === 'false') return { kind: 'keep' };
  if (typeof value !== 'string' || value.length === 0) return issues.add('number_filter', 'type', 'must be true, false or a regular expression', value) ?? { kind: 'strip' };
  const why = userPatternProblem(value);
  if (why !== undefined) return issues.add('number_filter', 'pattern', why, value) ?? { kind: 'strip' };
  return { kind: 'regex', regex: compileUserPattern(value) };
}

function isCavValue(value: unknown): value is CavValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** CAVs in precedence order: `data.custom_application_vars`, the query's other keys, the body's object. */
function collectCavs(data: Record<string, unknown>, query: Record<string, unknown>, body: Record<string, unknown>, issues: IssueList): Record<string, CavValue> {
  const cavs: Record<string, CavValue> = {};
  const put = (key: string, value: unknown, field: string): void => {
    if (RESERVED_CAV_KEYS.has(key)) return;
    if (isCavValue(value)) cavs[key] = value;
    else issues.add(field, 'type', 'custom application vars must be strings, numbers, booleans or null', value);
  };
  const putObject = (given: unknown): void => {
    if (given === undefined) return;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      issues.add('custom_application_vars', 'type', 'must be an object', given);
      return;
    }
    for (const [key, value] of Object.entries(given)) put(key, value, `custom_application_vars.${key}`);
  };
  putObject(data.custom_application_vars);
  for (const [key, value] of Object.entries(query)) put(key, single(value), key);
  putObject(body.custom_application_vars);
  return cavs;
}

/**
 * Reads the options from the body's `data`, then the query string, then the body itself (later
 * wins), applying Kazoo's defaults; `media` defaults to what the platform's media nodes can serve
 * (quickcall-media). Bad values yield 400 'invalid data'.
 */
export function parseQuickcallOptions(src: QuickcallOptionSources, defaultMedia: QuickcallOptions['media'] = 'process'): QuickcallOptions {
  const data = record(src.data);
  const query = record(src.query);
  const body = record(src.body);
  const pick = (key: string): unknown => {
    for (const source of [body, query, data]) {
      const v = single(source[key]);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const issues = new IssueList();
  const media = pick('media');
  if (media !== undefined && media !== 'bypass' && media !== 'process') issues.add('media', 'enum', 'must be bypass or process', media);
  const options: QuickcallOptions = {
    autoAnswer: toBoolean('auto_answer', pick('auto_answer'), issues) ?? true,
    cidName: toSipText('cid-name', pick('cid-name'), displayNameProblem, issues),
    cidNumber: toSipText('cid-number', pick('cid-number'), sipUserProblem, issues),
    cavs: collectCavs(data, query, body, issues),
    ignoreEarlyMedia: toBoolean('ignore-early-media', pick('ignore-early-media'), issues) ?? true,
    media: media === 'bypass' || media === 'process' ? media : defaultMedia,
    numberFilter: toNumberFilter(pick('number_filter'), issues),
    targetCallId: toText('target_call_id', pick('target_call_id'), issues),
    timeout: ringTimeout(pick('timeout')),
  };
  if (issues.issues.length > 0) throw kazooValidationError(issues.issues);
  return options;
}

/** The number to dial after `number_filter`; a regex without a match leaves it as given (Kazoo). */
export function filterNumber(number: string, filter: NumberFilter): string {
  let out = number;
  if (filter.kind === 'strip') out = number.replace(NUMBER_FILTER_CHARS, '');
  if (filter.kind === 'regex') out = filter.regex.exec(number)?.[1] ?? number;
  if (out.length === 0) throw kazooValidationError([{ field: 'number', rule: 'minLength', message: 'the number is empty after number_filter', value: number }]);
  return out;
}
