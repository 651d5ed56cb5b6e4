import { LegworkError } from '@legwork/common';

/** Stable codes callers branch on; they travel over the bus unchanged. */
export type CallStateErrorCode =
  | 'call_not_found'
  | 'call_exists'
  | 'call_ended'
  | 'invalid_transition'
  | 'state_conflict'
  | 'invalid_input'
  | 'idempotency_in_progress'
  | 'store_unavailable';

export class CallStateError extends LegworkError<CallStateErrorCode> {}
