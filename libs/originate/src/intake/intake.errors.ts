import { LegworkError } from '@legwork/common';

export type IntakeErrorCode = 'originate_invalid' | 'command_invalid' | 'command_not_supported' | 'execute_invalid';

/** Thrown by a consumer handler so the bus dead-letters the message with this reason. */
export class IntakeError extends LegworkError<IntakeErrorCode> {}
