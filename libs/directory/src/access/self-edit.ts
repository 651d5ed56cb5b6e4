import { DirectoryError } from '../directory.error';
import { isPlainObject, mergePatch } from '../documents/merge-patch';

/**
 * Fields only an account admin changes. A plain user edits the rest of its own user document
 * (names, email, timezone, username and password) and of its own devices (name, SIP password, codecs,
 * push parameters), as Kazoo's user portal does: rights, identity on the wire and caller ids are the admin's,
 * and so is the numbering plan (extensions, DIDs, labels, mobile numbers route calls to whoever holds them).
 */
export const ADMIN_ONLY_FIELDS = {
  user: ['priv_level', 'enabled', 'allow_anonymous_quickcalls', 'caller_id', 'presence_id', 'outbound', 'extension', 'dids', 'label', 'mobile_number'],
  device: ['owner_id', 'enabled', 'caller_id', 'device_type', 'sip.username', 'sip.realm', 'sip.invite_format', 'sip.route', 'sip.ip', 'extension'],
} as const;

export type SelfEditable = keyof typeof ADMIN_ONLY_FIELDS;

const MISSING = Symbol('missing');

function read(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split('.')) {
    if (!isPlainObject(cur) || !(key in cur)) return MISSING;
    cur = cur[key];
  }
  return cur;
}

function write(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = doc;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (!isPlainObject(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1] ?? path] = value;
}

/** JSON with sorted keys, so two equal objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (value === MISSING || value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

function cloneDeep(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/**
 * The body a plain user may write over its own document: a PATCH must leave every admin-only field as it
 * is; a POST (whole document) keeps the stored value of each admin-only field it leaves out. Any attempt
 * to change one is `forbidden`, naming the field.
 */
export function selfEditBody(kind: SelfEditable, current: object, body: Record<string, unknown>, mode: 'patch' | 'replace'): Record<string, unknown> {
  const out = mode === 'replace' ? cloneDeep(body) : body;
  const next = mode === 'patch' ? mergePatch(current, body) : out;
  for (const field of ADMIN_ONLY_FIELDS[kind]) {
    const stored = read(current, field);
    if (mode === 'replace' && read(out, field) === MISSING && stored !== MISSING) write(out, field, stored);
    if (canonical(read(next, field)) !== canonical(stored)) {
      throw new DirectoryError('forbidden', `${field} can only be changed by an account admin`, { field, reason: 'admin_only' });
    }
  }
  return out;
}
