import { isDirectoryError } from '@legwork/directory';
import { kazooValidationError } from '../core/kazoo.contract';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at a dotted path (`sip.username`, `gateways.0.server`) of a submitted document. */
export function valueAt(doc: unknown, field: string): unknown {
  let cur: unknown = doc;
  for (const key of field === '' ? [] : field.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Runs a directory write; its `invalid_document` becomes Kazoo's 400 with every violation and the
 * offending value taken from what the client sent (the directory reports field and rule only).
 */
export async function withSubmittedValues<T>(doc: unknown, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDirectoryError(err, 'invalid_document')) throw err;
    const violations = err.violations.length > 0 ? err.violations : [{ field: '', rule: 'invalid', message: err.message }];
    throw kazooValidationError(
      violations.map((v) => {
        // Secrets are never echoed back, even in errors.
        const value = v.rule === 'required' || /password/.test(v.field) ? undefined : valueAt(doc, v.field);
        return { field: v.field === '' ? 'data' : v.field, rule: v.rule, message: v.message, ...(value === undefined ? {} : { value }) };
      }),
    );
  }
}
