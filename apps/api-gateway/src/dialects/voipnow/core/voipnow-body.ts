import type { IncomingMessage } from 'node:http';
import { VoipnowError } from './voipnow-error';

/** The OAuth token endpoint's path. */
export const OAUTH_TOKEN_PATH = '/oauth/token.php';
/** Largest VoipNow request body read. */
export const VOIPNOW_BODY_LIMIT = '64kb';

const pathOf = (req: IncomingMessage): string => (req.url ?? '').split('?')[0] ?? '';

/** Requests of the VoipNow dialect: their bodies are read as text and parsed by the dialect, so errors keep its shape. */
export function isVoipnowPath(req: IncomingMessage): boolean {
  const path = pathOf(req);
  return path.startsWith('/uapi/') || path === OAUTH_TOKEN_PATH;
}

/** A form-encoded POST to the OAuth token endpoint (RFC 6749 §4.4.2), read as a form. */
export function isOAuthForm(req: IncomingMessage): boolean {
  return pathOf(req) === OAUTH_TOKEN_PATH && /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
}

/** A VoipNow body as the text parser left it: JSON text (parsed here), a parsed form, or nothing. */
export function voipnowBody(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw VoipnowError.invalid('request_invalid', 'the request body is not valid JSON');
  }
}
