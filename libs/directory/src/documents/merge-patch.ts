import { depthViolation } from './validation';
import { DirectoryError } from '../directory.error';

/** RFC 7396 JSON merge patch: objects merge recursively, null removes, anything else replaces. Too deep a patch is invalid_document. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  const tooDeep = depthViolation(patch);
  if (tooDeep !== undefined) throw DirectoryError.invalid([tooDeep]);
  return merge(target, patch);
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
