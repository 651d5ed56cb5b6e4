/** RFC 3261 §7.3.3 and later RFCs: compact form → full lowercase name. */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  x: 'session-expires',
  y: 'identity',
  b: 'referred-by',
  a: 'accept-contact',
  d: 'request-disposition',
  j: 'reject-contact',
  n: 'identity-info',
};

const FULL_TO_COMPACT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(COMPACT_FORMS).map(([short, full]) => [full, short]),
);

/** Spellings that plain Title-Case gets wrong. */
const CANONICAL_SPELLING: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'rack': 'RAck',
  'rseq': 'RSeq',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  'p-asserted-identity': 'P-Asserted-Identity',
};

/** Headers whose values form a comma-separated list (RFC 3261 §7.3.1). */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via', 'contact', 'route', 'record-route', 'allow', 'supported', 'require', 'proxy-require', 'unsupported',
  'accept', 'accept-encoding', 'accept-language', 'allow-events', 'content-encoding', 'content-language',
  'in-reply-to', 'alert-info', 'call-info', 'error-info', 'warning', 'path', 'service-route',
  'p-asserted-identity', 'p-preferred-identity', 'history-info', 'reason', 'security-client',
  'security-server', 'security-verify', 'accept-contact', 'reject-contact', 'request-disposition',
]);

/** Lowercase full name for any spelling, compact or not. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return COMPACT_FORMS[lower] ?? lower;
  return lower;
}

/** Full name in its usual spelling, e.g. `call-id` → `Call-ID`. */
export function canonicalName(name: string): string {
  const key = headerKey(name);
  const special = CANONICAL_SPELLING[key];
  if (special) return special;
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}

/** Compact spelling when one exists, otherwise the canonical full name. */
export function compactName(name: string): string {
  const key = headerKey(name);
  return FULL_TO_COMPACT[key] ?? canonicalName(key);
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}
