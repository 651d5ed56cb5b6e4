import { LegworkError } from '@legwork/common';

export type CdrErrorCode = 'invalid_input' | 'store_unavailable';

export class CdrError extends LegworkError {
  constructor(
    override readonly code: CdrErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}
