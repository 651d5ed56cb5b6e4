import { LegworkError } from '@legwork/common';

export type CallControlErrorCode = 'invalid_state' | 'no_such_dialog' | 'hold_failed' | 'transfer_failed' | 'recording_disabled' | 'recording_failed';

/** A control command that does not apply to the call as it stands (`state` says how it stands) or that failed. */
export class CallControlError extends LegworkError<CallControlErrorCode> {
  constructor(
    code: CallControlErrorCode,
    message: string,
    readonly state: string,
  ) {
    super(code, message, { state });
  }
}
