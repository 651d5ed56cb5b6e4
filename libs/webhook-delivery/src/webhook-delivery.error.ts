import { LegworkError } from '@legwork/common';

export type WebhookDeliveryErrorCode = 'invalid_config' | 'url_refused';

export class WebhookDeliveryError extends LegworkError {
  declare readonly code: WebhookDeliveryErrorCode;

  constructor(code: WebhookDeliveryErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
