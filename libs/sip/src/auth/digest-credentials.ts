import type { SipAuth } from '../message/sip-auth';
import type { SipRequest } from '../message/sip-message';

/** The fields of an `Authorization: Digest ...` value (RFC 7616 §3.4). */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response'] as const;

/** undefined when the value is not a usable Digest credential (other scheme or a required field missing). */
export function readDigestCredentials(auth: SipAuth): DigestCredentials | undefined {
  if (auth.scheme.toLowerCase() !== 'digest') return undefined;
  const fields: Partial<Record<(typeof REQUIRED)[number], string>> = {};
  for (const name of REQUIRED) {
    const value = auth.get(name);
    if (value === undefined) return undefined;
    fields[name] = value;
  }
  const { username = '', realm = '', nonce = '', uri = '', response = '' } = fields;
  return {
    username,
    realm,
    nonce,
    uri,
    response,
    algorithm: auth.get('algorithm'),
    qop: auth.get('qop'),
    nc: auth.get('nc'),
    cnonce: auth.get('cnonce'),
    opaque: auth.get('opaque'),
  };
}

export type CredentialLookup = { kind: 'none' } | { kind: 'malformed' } | { kind: 'found'; credentials: DigestCredentials };

/** The Digest credentials a request carries for this realm (RFC 3261 §22.4 lets one request carry several). */
export function findDigestCredentials(request: SipRequest, realm: string, header = 'authorization'): CredentialLookup {
  const parsed = request.getAuth(header);
  if (!parsed.ok) return { kind: 'malformed' };
  let broken = false;
  for (const auth of parsed.value) {
    if (auth.scheme.toLowerCase() !== 'digest') continue;
    const credentials = readDigestCredentials(auth);
    if (credentials === undefined) broken = true;
    else if (credentials.realm === realm) return { kind: 'found', credentials };
  }
  // Digest credentials for another realm are someone else's business; only broken ones are an error
  return broken ? { kind: 'malformed' } : { kind: 'none' };
}
