import { LegworkError } from '@legwork/common';

export type SipServerErrorCode = 'bad_config';

export class SipServerError extends LegworkError {
  declare readonly code: SipServerErrorCode;

  constructor(code: SipServerErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
