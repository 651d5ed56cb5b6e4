import { LegworkError } from '@legwork/common';

/** Stable codes of the X-on dialect's failures (logs, tests); the wire shows only `{"error": message}` or nothing. */
export type XonErrorCode =
  | 'invalid_request' | 'unauthorized' | 'rate_limited' | 'device_rejected_call' | 'device_not_found' | 'not_found'
  | 'request_too_large' | 'push_failed' | 'push_unavailable' | 'push_timeout' | 'service_unavailable' | 'internal_error';

/** What an X-on route answers when it fails: the status, and `{"error": …}` unless the seed says the body is empty. */
export class XonError extends LegworkError<XonErrorCode> {
  constructor(
    readonly status: number,
    code: XonErrorCode,
    message: string,
    /** The request parameter at fault, when one is. */
    readonly field?: string,
    /** The seed's 404s have an empty body. */
    readonly emptyBody = false,
    /** Sent as Retry-After (seconds) with a 429 or a 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message, { status, ...(field !== undefined ? { field } : {}) });
  }

  /** 400 naming the parameter and the rule it broke. */
  static invalid(field: string, why: string): XonError {
    return new XonError(400, 'invalid_request', `${field} ${why}`, field);
  }

  /** The seed's 404: no valid device (unknown, no push token, inactive user, another account's); empty body. */
  static noDevice(): XonError {
    return new XonError(404, 'device_not_found', 'no valid device with this id', undefined, true);
  }
}

/** The body of an X-on error: the seed's `{"error": message}`, plus the parameter at fault when there is one. */
export function xonErrorBody(err: XonError): { error: string; field?: string } {
  return { error: err.message, ...(err.field !== undefined ? { field: err.field } : {}) };
}
