import { LegworkError } from '@legwork/common';

/**
 * Stable codes dialects map to their own error shapes: `idempotency_conflict` (the key was used with a
 * different request), `idempotency_in_progress` (the first request with the key is still running),
 * `invalid_spec` (details.field names the OriginateSpec field), `command_timeout` (the owning node did not answer).
 */
export type OriginationClientErrorCode = 'idempotency_conflict' | 'idempotency_in_progress' | 'invalid_spec' | 'command_timeout';

export class OriginationClientError extends LegworkError<OriginationClientErrorCode> {}

export function isOriginationClientError(err: unknown, code?: OriginationClientErrorCode): err is OriginationClientError {
  return err instanceof OriginationClientError && (code === undefined || err.code === code);
}
