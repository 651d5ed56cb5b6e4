import type { z } from 'zod';
import { DirectoryError, type FieldViolation } from '../directory.error';

/** Validates a document, turning zod issues into Kazoo-style field/rule violations. */
export function parseDocument<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw DirectoryError.invalidField('', 'type', 'document must be an object');
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw DirectoryError.invalid(result.error.issues.map((issue) => toViolation(issue, input)));
}

function toViolation(issue: z.core.$ZodIssue, input: unknown): FieldViolation {
  const field = issue.path.map(String).join('.');
  if (valueAt(input, issue.path) === undefined && issue.code !== 'custom') {
    return { field, rule: 'required', message: 'is required' };
  }
  switch (issue.code) {
    case 'invalid_type':
      return { field, rule: 'type', message: `must be ${article(issue.expected)} ${issue.expected}` };
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { field, rule: 'minLength', message: `must have at least ${issue.minimum} ${unit(issue.origin)}` }
        : { field, rule: 'minimum', message: `must be at least ${issue.minimum}` };
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { field, rule: 'maxLength', message: `must have at most ${issue.maximum} ${unit(issue.origin)}` }
        : { field, rule: 'maximum', message: `must be at most ${issue.maximum}` };
    case 'invalid_value':
      return { field, rule: 'enum', message: `must be one of ${issue.values.map((v) => String(v)).join(', ')}` };
    case 'invalid_format':
      return { field, rule: 'format', message: issue.message };
    case 'custom': {
      const rule = typeof issue.params?.['rule'] === 'string' ? issue.params['rule'] : 'invalid';
      return { field, rule, message: issue.message };
    }
    default:
      return { field, rule: 'invalid', message: issue.message };
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function unit(origin: string): string {
  return origin === 'string' ? 'characters' : 'items';
}
