import type { IncomingMessage } from 'node:http';

/** The OAuth token endpoint's path. */
export const OAUTH_TOKEN_PATH = '/oauth/token.php';
/** Where the dialect's routes live: its edge answers below these. */
export const VOIPNOW_MOUNTS = ['/uapi', '/oauth'];

/**
 * A form-encoded POST to the OAuth token endpoint (RFC 6749 §4.4.2): the one request the gateway reads as a
 * form; everything else, Kazoo's content-type-less JSON included, goes to the JSON parser.
 */
export function isOAuthForm(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  return path === OAUTH_TOKEN_PATH && /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
}
