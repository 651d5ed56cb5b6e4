import { OAuthError } from './oauth-error';

/** What a client_credentials token request carries, wherever the client put its credentials. */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  /** The credentials came in `Authorization: Basic` (client_secret_basic). */
  basic: boolean;
}

const MAX = 256;

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX) throw OAuthError.invalidRequest(`${name} must be a string of at most ${MAX} characters`);
  return value;
}

/** `Authorization: Basic base64(urlencoded id ":" urlencoded secret)` (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const m = header === undefined ? null : /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (m === null) return undefined;
  const text = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) throw OAuthError.invalidRequest('the Basic credentials must be client_id:client_secret');
  try {
    return { clientId: decodeURIComponent(text.slice(0, colon)), clientSecret: decodeURIComponent(text.slice(colon + 1)) };
  } catch {
    throw OAuthError.invalidRequest('the Basic credentials are not URL-encoded text');
  }
}

/**
 * `grant_type=client_credentials` with `client_id` and `client_secret` in the form or JSON body, or in HTTP Basic;
 * one place only (RFC 6749 §2.3: a client uses one authentication method per request).
 */
export function parseTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  const given = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const grant = field(given, 'grant_type');
  if (grant === undefined) throw OAuthError.invalidRequest('grant_type is required');
  if (grant !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
  const basic = authorization !== undefined && /^Basic /i.test(authorization) ? basicCredentials(authorization) : undefined;
  const clientId = field(given, 'client_id');
  const clientSecret = field(given, 'client_secret');
  if (basic !== undefined) {
    if (clientSecret !== undefined) throw OAuthError.invalidRequest('send the client credentials either in Authorization: Basic or in the body, not both');
    if (clientId !== undefined && clientId !== basic.clientId) throw OAuthError.invalidRequest('client_id differs from the Basic credentials');
    return { ...basic, basic: true };
  }
  if (clientId === undefined) throw OAuthError.invalidRequest('client_id is required');
  if (clientSecret === undefined) throw OAuthError.invalidRequest('client_secret is required');
  return { clientId, clientSecret, basic: false };
}
