import { LegworkError } from '@legwork/common';

/** Stable failure codes of the transport layer. */
export type SipTransportErrorCode =
  | 'flow_gone'
  | 'connect_failed'
  | 'send_failed'
  | 'too_large'
  | 'closed'
  | 'unsupported_protocol'
  | 'unresolvable'
  | 'bad_config';

export class SipTransportError extends LegworkError {
  declare readonly code: SipTransportErrorCode;

  constructor(code: SipTransportErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Wraps a socket-level failure in a typed error, keeping typed errors as they are. */
export function toTransportError(err: unknown, code: SipTransportErrorCode, context: string): SipTransportError {
  if (err instanceof SipTransportError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new SipTransportError(code, `${context}: ${reason}`, { cause: reason });
}
