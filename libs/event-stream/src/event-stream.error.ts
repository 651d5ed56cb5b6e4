import { LegworkError } from '@legwork/common';

export type EventStreamErrorCode = 'invalid_message' | 'invalid_binding' | 'unauthorized' | 'forbidden' | 'unavailable';

/** Every refusal the blackhole endpoint reports back in `data.errors`. */
export class EventStreamError extends LegworkError<EventStreamErrorCode> {}

export function isEventStreamError(err: unknown): err is EventStreamError {
  return err instanceof EventStreamError;
}
