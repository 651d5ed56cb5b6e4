import { LegworkError } from '@legwork/common';

export type EventStreamErrorCode = 'invalid_message' | 'invalid_binding' | 'unauthorized' | 'forbidden' | 'unavailable';

/** Every refusal the blackhole endpoint reports back in `data.errors`. */
export class EventStreamError extends LegworkError {
  constructor(
    override readonly code: EventStreamErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}

export function isEventStreamError(err: unknown): err is EventStreamError {
  return err instanceof EventStreamError;
}
