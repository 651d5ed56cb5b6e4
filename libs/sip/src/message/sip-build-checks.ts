import { headerKey } from './header-names';
import { NameAddr, parseNameAddr, serializeNameAddr } from './name-addr';
import { SipValueError } from './sip-parse-error';
import { splitList } from './sip-text';
import { SipUnsafeReason, SipUnsafeValueError, checkLine, checkText, isTokenText } from './sip-unsafe-value';
import { Uri, parseUri, serializeUri } from './sip-uri';

/** Headers whose values are name-addr (lists): checked for structure, not only for line breaks. */
const NAME_ADDR_HEADERS: ReadonlySet<string> = new Set([
  'from', 'to', 'contact', 'route', 'record-route', 'path', 'service-route', 'refer-to', 'referred-by', 'reply-to',
  'p-asserted-identity', 'p-preferred-identity', 'diversion',
]);

// RFC 3261 §25.1: an unquoted display name is tokens and spaces; these would change how the rest reads
// eslint-disable-next-line no-control-regex
const UNQUOTED_BREAKERS = /["<>\\\x00-\x1f\x7f]/;

/** Runs a value parser or serializer, naming the header in the typed error (the hostile value stays out of the message). */
export function forHeader<T>(header: string, reason: SipUnsafeReason, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SipUnsafeValueError) throw new SipUnsafeValueError(header, err.reason, err.message);
    if (err instanceof SipValueError) throw new SipUnsafeValueError(header, reason, `cannot be read back (${err.reason})`);
    throw err;
  }
}

/** A name-addr to put in a header: objects are serialized, strings are checked to read back as one name-addr. */
export function nameAddrText(header: string, value: NameAddr | string): string {
  if (typeof value !== 'string') {
    if (value.displayName !== undefined) checkText(header, value.displayName);
    return forHeader(header, 'bad_name_addr', () => serializeNameAddr(value));
  }
  checkLine(header, value);
  const parsed = forHeader(header, 'bad_name_addr', () => parseNameAddr(value));
  const trimmed = value.trim();
  if (parsed.displayName !== undefined && trimmed.charCodeAt(0) !== 0x22 && UNQUOTED_BREAKERS.test(parsed.displayName)) {
    throw new SipUnsafeValueError(header, 'bad_name_addr', 'an unquoted display name with a quote, <, >, backslash or control character');
  }
  return value;
}

/** A name-addr a caller hands in (From/To of a new call): as nameAddrText, and no NUL even escaped in the display name. */
export function callerNameAddr(header: string, value: string): NameAddr {
  nameAddrText(header, value);
  const parsed = parseNameAddr(value);
  if (parsed.displayName !== undefined) checkText(header, parsed.displayName);
  return parsed;
}

/** A comma list of name-addrs (Contact, Route ...); `*` stays a valid Contact. */
export function nameAddrListText(header: string, value: NameAddr | string): string {
  if (typeof value !== 'string') return nameAddrText(header, value);
  checkLine(header, value);
  if (value.trim() === '*' && headerKey(header) === 'contact') return value;
  const items = forHeader(header, 'bad_name_addr', () => splitList(value));
  if (items.length === 0) throw new SipUnsafeValueError(header, 'bad_name_addr', 'empty');
  for (const item of items) nameAddrText(header, item);
  return value;
}

/** Structure checks for a header the caller adds by name. */
export function checkExtraHeader(name: string, value: string): void {
  if (NAME_ADDR_HEADERS.has(headerKey(name))) nameAddrListText(name, value);
}

export function uriText(header: string, uri: Uri | string): string {
  const text = typeof uri === 'string' ? uri : forHeader(header, 'bad_uri', () => serializeUri(uri));
  checkLine(header, text);
  forHeader(header, 'bad_uri', () => parseUri(text));
  return text;
}

export function tokenText(header: string, value: string, reason: SipUnsafeReason = 'bad_token'): string {
  if (!isTokenText(value)) throw new SipUnsafeValueError(header, reason, 'must be a token');
  return value;
}

/** Call-ID: not empty and on its line (a peer's odd Call-ID must still be usable in the dialog's requests). */
export function callIdText(value: string): string {
  if (value.trim().length === 0) throw new SipUnsafeValueError('Call-ID', 'bad_token', 'empty');
  checkLine('Call-ID', value);
  return value;
}

export function integerIn(header: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new SipUnsafeValueError(header, 'bad_number', `must be an integer from ${min} to ${max}`);
  return value;
}
