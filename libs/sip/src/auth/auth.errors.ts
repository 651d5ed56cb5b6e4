import { LegworkError } from '@legwork/common';

export type AuthErrorCode = 'invalid_config';

/** Misuse of the digest module (bad options); bad client input is a verdict, never a throw. */
export class AuthError extends LegworkError<AuthErrorCode> {}
