import { LegworkError } from '@legwork/common';

/** What a Basix error answers: the HTTP status and the `error.id` of `{"result_code":500,"error":{...}}`. */
export class BasixError extends LegworkError {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    /** The request parameter at fault, when one is. */
    readonly field?: string,
    /** Sent as Retry-After (seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(id, message, { status, ...(field !== undefined ? { field } : {}) });
  }

  /** 400 `<parameter>_invalid`, naming the parameter. */
  static invalid(field: string, message: string): BasixError {
    return new BasixError(400, `${field}_invalid`, `${field} ${message}`, field);
  }
}

/** The Basix error body: result_code 500 and the error id, plus what Legwork adds (the field, a sentence). */
export function basixErrorBody(err: BasixError): Record<string, unknown> {
  return { result_code: 500, error: { id: err.id, ...(err.field !== undefined ? { field: err.field } : {}), message: err.message } };
}
