import { LegworkError } from '@legwork/common';

export type RoutingErrorCode = 'invalid_gateway';

export class RoutingError extends LegworkError {
  declare readonly code: RoutingErrorCode;

  constructor(code: RoutingErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
