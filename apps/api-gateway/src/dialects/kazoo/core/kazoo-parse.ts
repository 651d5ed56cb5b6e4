import type { z } from 'zod';
import { kazooValidationError, type KazooIssue } from './kazoo.contract';

/** Kazoo's JSON-schema rule name for one zod issue. */
function ruleOf(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'required' : 'type';
    case 'too_small':
      return issue.origin === 'string' ? 'minLength' : issue.origin === 'array' ? 'minItems' : 'minimum';
    case 'too_big':
      return issue.origin === 'string' ? 'maxLength' : issue.origin === 'array' ? 'maxItems' : 'maximum';
    case 'invalid_format':
      return issue.format === 'regex' ? 'pattern' : 'format';
    case 'invalid_value':
      return 'enum';
    case 'unrecognized_keys':
      return 'additionalProperties';
    default:
      return 'type';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Kazoo-style issues of a zod failure; `root` prefixes every field (e.g. 'data'). */
export function kazooIssues(error: z.ZodError, input: unknown): KazooIssue[] {
  return error.issues.map((issue) => {
    const value = valueAt(input, issue.path);
    const field = issue.path.map(String).join('.') || 'data';
    return { field, rule: ruleOf(issue, value), message: issue.message, value };
  });
}

/** Parses `input` or throws 400 'invalid data' in Kazoo's field → rule → message shape. */
export function kazooParse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw kazooValidationError(kazooIssues(result.error, input));
  return result.data;
}
