import { LegworkError } from '@legwork/common';

/** The seed's sub-error 59 texts, by what went wrong. */
export const CALL_OPERATION_TEXTS = {
  endpointState: 'The endpoint state of the call is not valid.',
  callState: 'The state of the call is not valid.',
  detached: 'The call is in the detached state.',
  transferFailed: 'Transfer has failed.',
  consultativeInProgress: 'Consultative transfer already in progress,',
  noChargeAddress: 'User has no charge address. The User must have at least the phone number or the extension.',
  recordingDisabled: 'Recording is disabled for this call.',
  recordingFailed: 'Recording has failed for this call.',
  recordingNoStop: 'User recording mode does not support stop.',
  recordingNotActive: 'Recording is not active.',
  imrnFailed: 'IMRN allocation failed.',
} as const;
export type CallOperationText = keyof typeof CALL_OPERATION_TEXTS;

/** Stable codes of the dialect's refusals (the `code` of the error body). */
export type NetaxisCode =
  | 'INVALID_CALL_OPERATION' | 'INVALID_PHONE_NUMBER' | 'INVALID_REQUEST' | 'INVALID_CALL_STATE' | 'INVALID_CREDENTIALS' | 'UNAUTHORIZED'
  | 'FORBIDDEN' | 'NOT_FOUND' | 'CALL_BARRED' | 'TOO_MANY_REQUESTS' | 'CHANNEL_LIMIT_REACHED' | 'SERVICE_UNAVAILABLE' | 'CALL_FAILED'
  | 'TIMEOUT' | 'REQUEST_TOO_LARGE' | 'INTERNAL_ERROR';

export interface NetaxisErrorExtras {
  /** The seed's sub-error code (59 for INVALID_CALL_OPERATION). */
  subErrorCode?: number;
  /** The request field at fault. */
  field?: string;
  /** Why, in the platform's words, beside the seed's text. */
  detail?: string;
  headers?: Record<string, string>;
}

/** A failure in the Netaxis dialect's shape: `{"error":{"status","code","message","subErrorCode?","field?","detail?"}}`. */
export class NetaxisError extends LegworkError {
  readonly extras: NetaxisErrorExtras;

  constructor(
    readonly status: number,
    code: NetaxisCode,
    message: string,
    extras: NetaxisErrorExtras = {},
  ) {
    super(code, message, { status });
    this.extras = extras;
  }

  /** Sub-error 59 INVALID_CALL_OPERATION with one of the seed's texts. */
  static callOperation(text: CallOperationText, detail?: string): NetaxisError {
    return new NetaxisError(400, 'INVALID_CALL_OPERATION', CALL_OPERATION_TEXTS[text], { subErrorCode: 59, ...(detail !== undefined ? { detail } : {}) });
  }

  static invalid(field: string, message: string, code: NetaxisCode = 'INVALID_REQUEST'): NetaxisError {
    return new NetaxisError(400, code, message, { field });
  }

  static unauthorized(message: string): NetaxisError {
    return new NetaxisError(401, 'UNAUTHORIZED', message, { headers: { 'WWW-Authenticate': 'Bearer realm="netaxis"' } });
  }

  /** The seed's 403 "error invalid calling user". */
  static forbidden(detail: string): NetaxisError {
    return new NetaxisError(403, 'FORBIDDEN', 'invalid calling user', { detail });
  }

  static notFound(what: string, field?: string): NetaxisError {
    return new NetaxisError(404, 'NOT_FOUND', `${what} not found`, field !== undefined ? { field } : {});
  }
}

/** The body every Netaxis error answers with. */
export function netaxisErrorBody(err: NetaxisError): { error: Record<string, unknown> } {
  const { subErrorCode, field, detail } = err.extras;
  return {
    error: {
      status: err.status,
      code: err.code,
      message: err.message,
      ...(subErrorCode !== undefined ? { subErrorCode } : {}),
      ...(field !== undefined ? { field } : {}),
      ...(detail !== undefined ? { detail } : {}),
    },
  };
}
