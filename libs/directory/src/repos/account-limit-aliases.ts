import { DirectoryError, isDirectoryError, type FieldViolation } from '../directory.error';

/** Limits renamed since documents were first written: the old name is read, and accepted on writes, as the new one. */
const RENAMED_LIMITS: ReadonlyArray<{ old: string; current: string }> = [{ old: 'quickcall_bucket', current: 'api_bucket' }];

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored account as the current schema names it (`limits.quickcall_bucket` loads as `limits.api_bucket`). */
export function currentAccountDoc<D>(doc: D): D {
  if (!isDoc(doc) || !isDoc(doc['limits'])) return doc;
  const limits: Doc = { ...doc['limits'] };
  let changed = false;
  for (const { old, current } of RENAMED_LIMITS) {
    if (!(old in limits)) continue;
    // A document holding both names keeps the current one.
    if (!(current in limits)) limits[current] = limits[old];
    delete limits[old];
    changed = true;
  }
  return changed ? ({ ...doc, limits } as D) : doc;
}

/** Account input with old limit names rewritten, and the names it used so errors can name the field as it was sent. */
export interface AliasedInput {
  input: unknown;
  used: ReadonlyArray<{ old: string; current: string }>;
}

export function aliasAccountInput(input: unknown): AliasedInput {
  if (!isDoc(input) || !isDoc(input['limits'])) return { input, used: [] };
  const limits: Doc = { ...input['limits'] };
  const used = RENAMED_LIMITS.filter(({ old }) => old in limits);
  for (const { old, current } of used) {
    // A merge patch may clear the old name while it sets the new one.
    if (limits[old] === null && current in limits) {
      delete limits[old];
      continue;
    }
    if (current in limits && JSON.stringify(limits[current]) !== JSON.stringify(limits[old])) {
      throw DirectoryError.invalidField(`limits.${old}`, 'invalid', `is the old name of limits.${current}: send one of them`);
    }
    limits[current] = limits[old];
    delete limits[old];
  }
  return { input: used.length === 0 ? input : { ...input, limits }, used };
}

/** Runs a write; its violations name an aliased field the way the caller spelled it. */
export async function asSent<T>(used: AliasedInput['used'], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (used.length === 0 || !isDirectoryError(err, 'invalid_document')) throw err;
    throw DirectoryError.invalid(err.violations.map((v) => renamed(v, used)));
  }
}

function renamed(v: FieldViolation, used: AliasedInput['used']): FieldViolation {
  for (const { old, current } of used) {
    const prefix = `limits.${current}`;
    if (v.field === prefix || v.field.startsWith(`${prefix}.`)) return { ...v, field: `limits.${old}${v.field.slice(prefix.length)}` };
  }
  return v;
}
