import { LegworkError } from '@legwork/common';

export type ConsoleErrorCode = 'console_not_found' | 'console_not_built' | 'console_forbidden' | 'console_bad_path';

const STATUS: Record<ConsoleErrorCode, number> = { console_not_found: 404, console_not_built: 503, console_forbidden: 403, console_bad_path: 400 };

/** A console file that cannot be served; answered as `{"error": code, "message"}` with the code's status. */
export class ConsoleError extends LegworkError<ConsoleErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
