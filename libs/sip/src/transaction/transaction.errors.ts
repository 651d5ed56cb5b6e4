import { LegworkError } from '@legwork/common';

export type SipTransactionErrorCode = 'sip_timeout' | 'sip_transport' | 'sip_no_ack' | 'sip_closed' | 'sip_bad_request' | 'sip_no_dialog' | 'sip_no_prack';

/** Failures of a transaction or the UA core; the code is stable for callers to map. */
export class SipTransactionError extends LegworkError {
  constructor(code: SipTransactionErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
