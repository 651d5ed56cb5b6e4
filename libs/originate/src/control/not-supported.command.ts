import type { CallCommandName } from '@legwork/contracts';
import { type CommandHandler, outcome } from './command.types';

/** A command of the plane this media node cannot run yet: answered `not_supported`, whatever the call. */
export function notSupportedCommand(name: CallCommandName): CommandHandler {
  return async () => outcome.notSupported(`call command ${name} is not supported yet on this media node`);
}
