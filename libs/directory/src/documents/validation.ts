import type { z } from 'zod';
import { DirectoryError, type FieldViolation } from '../directory.error';
import { unsafeTextReason } from '../schemas/common.schema';

/** Deeper documents are refused before any recursive step sees them (merge patch, validation). */
export const MAX_DOCUMENT_DEPTH = 32;

/** Validates a document, turning zod issues into Kazoo-style field/rule violations. */
export function parseDocument<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw DirectoryError.invalidField('', 'type', 'document must be an object');
  }
  const tooDeep = depthViolation(input);
  if (tooDeep !== undefined) throw DirectoryError.invalid([tooDeep]);
  const result = schema.safeParse(input);
  if (result.success) {
    const unsafe = unsafeStrings(result.data);
    if (unsafe.length > 0) throw DirectoryError.invalid(unsafe);
    return result.data;
  }
  const violations = result.error.issues.map((issue) => toViolation(issue, input));
  const seen = new Set(violations.map((v) => v.field));
  throw DirectoryError.invalid([...violations, ...unsafeStrings(input).filter((v) => !seen.has(v.field))]);
}

/** The first path nested deeper than MAX_DOCUMENT_DEPTH, walked without recursion. */
export function depthViolation(input: unknown): FieldViolation | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DOCUMENT_DEPTH) return { field: path, rule: 'maxDepth', message: `nests deeper than ${MAX_DOCUMENT_DEPTH} levels` };
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: path === '' ? key : `${path}.${key}`, depth: depth + 1 });
  }
  return undefined;
}

/** Every string (keys included) that may not be stored: one violation per field. */
function unsafeStrings(doc: unknown): FieldViolation[] {
  const out: FieldViolation[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: doc, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      const reason = unsafeTextReason(value);
      if (reason !== undefined) out.push({ field: path, rule: 'format', message: reason });
      continue;
    }
    if (value === null || typeof value !== 'object' || depth > MAX_DOCUMENT_DEPTH) continue;
    for (const [key, child] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      const reason = unsafeTextReason(key);
      if (reason !== undefined) out.push({ field: at, rule: 'format', message: reason });
      else stack.push({ value: child, path: at, depth: depth + 1 });
    }
  }
  return out.sort((a, b) => a.field.localeCompare(b.field));
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
