import { LegworkError } from '@legwork/common';

export type SecretsErrorCode = 'invalid_secret_keys' | 'secret_key_unknown' | 'secret_unreadable';

/** Key configuration and stored-secret failures: a misconfiguration or a tampered store, never the client's fault. */
export class SecretsError extends LegworkError<SecretsErrorCode> {}

export function isSecretsError(err: unknown, code?: SecretsErrorCode): err is SecretsError {
  return err instanceof SecretsError && (code === undefined || err.code === code);
}
