import { normalize, stripEnvelope } from '@legwork/contracts';

/** What a quickcall came to; every kind is remembered under an Idempotency-Key. */
export type QuickcallOutcome =
  | { kind: 'initiated'; data: Record<string, unknown> }
  | { kind: 'failed'; data: { error_message: string; request: Record<string, unknown> } }
  | { kind: 'timeout'; data: { request: Record<string, unknown> } };

/** A bus message as crossbar shows it: no envelope headers, lower_snake_case keys. */
export function restView(msg: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return normalize(stripEnvelope(msg));
}

export function failed(errorMessage: string, request: Record<string, unknown>): QuickcallOutcome {
  return { kind: 'failed', data: { error_message: errorMessage, request: restView(request) } };
}
