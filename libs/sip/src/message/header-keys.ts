import { COMPACT_FORMS, headerKey } from './header-names';
import { Codes, matchesLower } from './sip-scan';

/** Header names common enough to be recognised from their bytes, in their usual spelling. */
const COMMON = [
  'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Allow',
  'Supported', 'Require', 'Proxy-Require', 'Unsupported', 'User-Agent', 'Server', 'Route', 'Record-Route', 'Expires',
  'Min-Expires', 'Authorization', 'Proxy-Authorization', 'WWW-Authenticate', 'Proxy-Authenticate', 'Event',
  'Allow-Events', 'Subscription-State', 'Refer-To', 'Referred-By', 'Replaces', 'Session-Expires', 'Min-SE', 'RSeq',
  'RAck', 'Accept', 'Accept-Encoding', 'Accept-Language', 'Content-Disposition', 'Content-Encoding', 'Date',
  'Timestamp', 'Organization', 'Subject', 'Reason', 'Warning', 'Privacy', 'P-Asserted-Identity',
  'P-Preferred-Identity', 'Remote-Party-ID', 'Diversion', 'History-Info', 'Path', 'Service-Route', 'Retry-After',
  'Alert-Info', 'Call-Info', 'MIME-Version', 'Priority', 'Identity', 'Security-Client', 'Security-Server',
  'Security-Verify', 'SIP-ETag', 'SIP-If-Match', 'Content-Language', 'In-Reply-To', 'Reply-To', 'Error-Info',
];

interface Known {
  key: string;
  lower: Uint8Array;
  spelling: string;
  bytes: Uint8Array;
}

const BY_LENGTH: Known[][] = [];
for (const spelling of COMMON) {
  const key = spelling.toLowerCase();
  (BY_LENGTH[key.length] ??= []).push({ key, lower: Buffer.from(key, 'latin1'), spelling, bytes: Buffer.from(spelling, 'latin1') });
}

const COMPACT_BY_CODE: (string | undefined)[] = [];
for (const [short, full] of Object.entries(COMPACT_FORMS)) {
  COMPACT_BY_CODE[short.charCodeAt(0)] = full;
  COMPACT_BY_CODE[short.toUpperCase().charCodeAt(0)] = full;
}

/** Set by headerKeyAt: the name as written, reusing the usual spelling's string when the bytes match it. */
export let headerNameAt = '';

function sameBytes(codes: Codes, start: number, bytes: Uint8Array): boolean {
  for (let k = 0; k < bytes.length; k++) if (codes[start + k] !== bytes[k]) return false;
  return true;
}

/** Lookup key of the token header name text[start, end) (compact forms expanded); headerNameAt is set too. */
export function headerKeyAt(text: string, codes: Codes, start: number, end: number): string {
  const length = end - start;
  if (length === 1) {
    headerNameAt = text.slice(start, end);
    return COMPACT_BY_CODE[codes[start]] ?? headerNameAt.toLowerCase();
  }
  const candidates = BY_LENGTH[length];
  if (candidates !== undefined) {
    for (const known of candidates) {
      if (!matchesLower(codes, start, known.lower)) continue;
      headerNameAt = sameBytes(codes, start, known.bytes) ? known.spelling : text.slice(start, end);
      return known.key;
    }
  }
  headerNameAt = text.slice(start, end);
  return headerNameAt.toLowerCase();
}

const COMMON_KEYS: ReadonlyMap<string, string> = new Map(
  COMMON.flatMap((spelling) => [
    [spelling, spelling.toLowerCase()],
    [spelling.toLowerCase(), spelling.toLowerCase()],
  ]),
);

/** headerKey, with the common spellings and keys answered from a map rather than by toLowerCase. */
export function lookupKey(name: string): string {
  return COMMON_KEYS.get(name) ?? headerKey(name);
}
