/**
 * What may reach a SIP header or URI, defined once: contracts, the directory and the REST dialects
 * validate with these where values enter, and the engine escapes with them where values leave.
 * Every check returns why a value is refused, or undefined when it is fine.
 */

export const SIP_USER_MAX = 128;
export const DISPLAY_NAME_MAX = 128;
export const HEADER_VALUE_MAX = 1024;
export const CALL_ID_MAX = 256;
export const SIP_URI_MAX = 512;

// RFC 3261 §25.1 user: unreserved and user-unreserved, minus ; ? / (legal, but read as URI structure by many peers); # is escaped on the way out
const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,#]+$/;
// RFC 3261 token (header names)
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
// RFC 3261 Call-ID word characters without < > " \ (legal, but they break naive name-addr parsers downstream)
const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()/[\]?{}:]+(?:@[A-Za-z0-9\-.!%*_+`'~()/[\]?{}:]+)?$/;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST = new RegExp(`^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*\\.?|\\[[0-9A-Fa-f:.]+\\])$`);
const HTAB = 0x09;

/** Index of the first character that must never reach SIP as text, or -1: C0 controls (CR, LF, NUL…), DEL, C1 controls, U+2028/2029, lone surrogates and U+FFFD (what invalid UTF-8 decodes to). */
function unsafeAt(value: string, allowTab: boolean, from = 0): number {
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      if (c === HTAB && allowTab) continue;
      return i;
    }
    if ((c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfffd) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

const unsafeText = (value: string): boolean => unsafeAt(value, false) !== -1;
const URI_FORBIDDEN = /[\s<>"]/;

const TEXT_RULE = 'must not contain control characters (CR, LF, NUL…) or invalid UTF-8';

function tooLong(value: string, max: number): string | undefined {
  return value.length > max ? `must be at most ${max} characters` : undefined;
}

/** A URI user part as given (numbers, extensions, usernames): refused unless every character is safe in a SIP user. */
export function sipUserProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  return tooLong(value, SIP_USER_MAX) ?? (USER.test(value) ? undefined : "must contain only letters, digits and - _ . ! ~ * ' ( ) & = + $ , # (no spaces, <, >, \", @, : or control characters)");
}

/** A display name (caller id name): printable text of any script; quotes and backslashes are escaped on the wire. */
export function displayNameProblem(value: string): string | undefined {
  return tooLong(value, DISPLAY_NAME_MAX) ?? (unsafeText(value) ? TEXT_RULE : undefined);
}

export function headerNameProblem(value: string): string | undefined {
  return tooLong(value, 64) ?? (TOKEN.test(value) ? undefined : 'must be a SIP header name (letters, digits and - . ! % * _ + ` \' ~)');
}

/** An opaque header value (Custom-SIP-Headers): one line of text. */
export function headerValueProblem(value: string): string | undefined {
  return tooLong(value, HEADER_VALUE_MAX) ?? (unsafeAt(value, true) !== -1 ? TEXT_RULE : undefined);
}

/** A digest credential (trunk username): it travels inside a quoted-string of the Authorization header. */
export function credentialProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  return tooLong(value, SIP_USER_MAX) ?? (unsafeText(value) || /["\\]/.test(value) ? 'must not contain quotes, backslashes, control characters or invalid UTF-8' : undefined);
}

export function sipHostProblem(value: string): string | undefined {
  return tooLong(value, 253) ?? (HOST.test(value) ? undefined : 'must be a host name or IP address');
}

export function callIdProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  return tooLong(value, CALL_ID_MAX) ?? (CALL_ID.test(value) ? undefined : 'must be a SIP Call-ID (letters, digits and - . ! % * _ + ` \' ~ ( ) / [ ] ? { } : with at most one @)');
}

/** A SIP URI or route as text (`sip:1001@realm`, `<sip:…>`, `1001`): one token with nothing that ends a URI early. */
export function sipUriProblem(value: string): string | undefined {
  const bare = value.trim().replace(/^<(.*)>$/, '$1');
  if (bare.length === 0) return 'must not be empty';
  return tooLong(value, SIP_URI_MAX) ?? (URI_FORBIDDEN.test(bare) || unsafeText(bare) ? 'must be a SIP URI or number without spaces, <, >, " or control characters' : undefined);
}

/** Escapes a URI user part (RFC 3261 §25.1: unreserved and user-unreserved characters pass through). */
export function escapeSipUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/gu, (c) => Buffer.from(c, 'utf8').toString('hex').toUpperCase().replace(/../g, '%$&'));
}

/** A display name made safe to show whatever it holds (data stored before validation): unsafe characters become spaces. */
export function sanitizeDisplayName(value: string): string {
  let out = '';
  let from = 0;
  for (let at = unsafeAt(value, false); at !== -1; at = unsafeAt(value, false, from)) {
    out += `${value.slice(from, at)} `;
    from = at + 1;
  }
  const clean = (out + value.slice(from)).replace(/\s{2,}/g, ' ').trim().slice(0, DISPLAY_NAME_MAX);
  // the cut may have split a surrogate pair
  return unsafeAt(clean, false) === -1 ? clean : clean.slice(0, -1);
}

/** RFC 3261 quoted-string of a display name: sanitized, then `\` and `"` escaped. */
export function quoteDisplayName(value: string): string {
  return `"${sanitizeDisplayName(value).replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
