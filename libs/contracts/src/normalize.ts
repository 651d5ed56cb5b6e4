/**
 * Wire keys (`Outbound-Call-ID`) ⇄ REST/webhook keys (`outbound_call_id`), as crossbar shows them.
 * Every key is converted recursively, channel variables and SIP headers included (seed 000 shows
 * `custom_channel_vars.account_id`, `custom_sip_headers.x_kazoo_aor`). Custom-Application-Vars are
 * the caller's own data, so their keys are kept exactly as given, in both directions. Values
 * (e.g. the names in Export-Custom-Channel-Vars) are never touched.
 */

const VERBATIM_WIRE = new Set(['Custom-Application-Vars']);
const VERBATIM_NORMALIZED = new Set(['custom_application_vars']);

/** Words Kazoo writes in capitals inside wire keys. */
const ACRONYMS = new Set(['id', 'ids', 'cid', 'did', 'sip', 'uri', 'url', 'ip', 'aor', 'dtmf', 'sdp', 'rtp', 'srtp', 't38', 'uuid', 'mwi', 'cnam']);

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/-/g, '_');
}

export function denormalizeKey(key: string): string {
  return key
    .split('_')
    .map((word) => {
      const lower = word.toLowerCase();
      if (lower === 'ids') return 'IDs';
      if (ACRONYMS.has(lower)) return lower.toUpperCase();
      return lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join('-');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function convert(value: unknown, mapKey: (k: string) => string, verbatim: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v, mapKey, verbatim));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[mapKey(key)] = verbatim.has(key) && isPlainObject(v) ? { ...v } : convert(v, mapKey, verbatim);
  }
  return out;
}

/** Wire message → lower_snake_case object for REST, webhook and websocket output. */
export function normalize(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return convert(obj, normalizeKey, VERBATIM_WIRE) as Record<string, unknown>;
}

/** REST input in lower_snake_case → wire keys (`custom_application_vars` → `Custom-Application-Vars`). */
export function denormalize(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return convert(obj, denormalizeKey, VERBATIM_NORMALIZED) as Record<string, unknown>;
}

type SnakeKey<K extends string> = K extends `${infer H}-${infer T}` ? `${Lowercase<H>}_${SnakeKey<T>}` : Lowercase<K>;

/** The type of `normalize(value)` for a wire type: lower_snake keys at every depth, Custom-Application-Vars as given. */
export type Normalized<T> = T extends readonly (infer E)[]
  ? Normalized<E>[]
  : T extends object
    ? { [K in keyof T as K extends string ? SnakeKey<K> : K]: K extends 'Custom-Application-Vars' ? T[K] : Normalized<T[K]> }
    : T;
