import { z } from 'zod';
import { ContractError, type ContractIssue } from './contract.error';
import type { AnyMessageDefinition, MessageOf } from './define-message';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Wire path as users read it: `Endpoints[0].Invite-Format`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(message)' : out;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur = raw;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function ruleOf(issue: z.core.$ZodIssue, raw: unknown): string {
  // a type/enum complaint about an absent key reads better as "is required"
  if (issue.code !== 'custom' && issue.path.length > 0 && valueAt(raw, issue.path) === undefined) return 'is required';
  return issue.message;
}

/** zod issues as wire-field issues; `raw` (the input) lets absent keys be reported as required. */
export function issuesFromZod(error: z.ZodError, raw?: unknown): ContractIssue[] {
  return error.issues.map((issue) => ({ field: fieldPath(issue.path), rule: ruleOf(issue, raw) }));
}

/** Accepts a decoded object, a JSON string or the raw AMQP body. */
function decode(raw: unknown): { ok: true; value: unknown } | { ok: false; rule: string } {
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8')) };
  } catch {
    return { ok: false, rule: 'body is not valid JSON' };
  }
}

/** Validates `raw` against `def`, including its Event-Category/Event-Name; never throws. */
export function parseMessage<D extends AnyMessageDefinition>(def: D, raw: unknown): ParseResult<MessageOf<D>> {
  const decoded = decode(raw);
  if (!decoded.ok) return { ok: false, error: new ContractError(def.name, [{ field: '(message)', rule: decoded.rule }]) };
  const value = decoded.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: new ContractError(def.name, [{ field: '(message)', rule: 'must be a JSON object' }]) };
  }
  const parsed = def.schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as MessageOf<D> };
  return { ok: false, error: new ContractError(def.name, issuesFromZod(parsed.error, value)) };
}

/** parseMessage for callers that treat an invalid message as a bug. */
export function assertMessage<D extends AnyMessageDefinition>(def: D, raw: unknown): MessageOf<D> {
  const result = parseMessage(def, raw);
  if (!result.ok) throw result.error;
  return result.value;
}
