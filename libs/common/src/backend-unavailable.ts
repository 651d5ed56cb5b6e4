import { isLegworkError } from './legwork-error';

/** ioredis gives up on a command after its retries while the server is away. */
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError']);
/** The modules' own codes for it (the bus's, the call store's); a broker nack means it did not take the message. */
const UNAVAILABLE_CODES = new Set(['bus_unavailable', 'bus_closed', 'bus_nack', 'store_unavailable']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);
const UNAVAILABLE_MESSAGES = new Set(['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false"]);

/** What every dialect tells a client whose request met an unreachable store or broker (in its own error shape, 503). */
export const BACKEND_UNAVAILABLE_MESSAGE = 'a store or the message bus is unreachable; retry shortly';

/**
 * True when a request failed because a store or the broker is unreachable, not because of the request: dialects
 * answer it 503 (try again) instead of 500. Recognised by name and code so no lib needs the client's classes.
 */
export function isBackendUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const { name, code, message, cause } = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof code === 'string' && (isLegworkError(err) ? UNAVAILABLE_CODES : SOCKET_CODES).has(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.has(message)) return true;
  return isBackendUnavailable(cause, depth + 1);
}
