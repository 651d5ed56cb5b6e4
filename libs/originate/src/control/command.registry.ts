import { CALL_COMMANDS, type CallCommandName } from '@legwork/contracts';
import type { CommandHandler } from './command.types';
import { hangupCommand } from './hangup.command';
import { blindTransferCommand } from './blind-transfer.command';
import { consultativeTransferCommand } from './consultative-transfer.command';
import { holdCommand } from './hold.command';
import { reconnectCommand } from './reconnect.command';
import { retrieveCommand } from './retrieve.command';
import { unholdCommand } from './unhold.command';
import { notSupportedCommand } from './not-supported.command';
import { recordCommand } from './record.command';

/** Command name → handler: every command of the plane has one. */
export type CommandRegistry = Readonly<Record<CallCommandName, CommandHandler>>;

/** An attended transfer (Transfer-Type attended, Target-Call-ID) is a consultative one; any other is blind. */
const transferCommand: CommandHandler = (cmd, ctx) => (cmd['Transfer-Type'] === 'attended' ? consultativeTransferCommand : blindTransferCommand)(cmd, ctx);

const RUNS: Partial<Record<CallCommandName, CommandHandler>> = {
  hangup: hangupCommand, hold: holdCommand, unhold: unholdCommand, reconnect: reconnectCommand, blind_transfer: transferCommand, transfer: transferCommand,
  consultative_transfer: consultativeTransferCommand, retrieve: retrieveCommand,
  record_start: recordCommand('start'), record_pause: recordCommand('pause'), record_resume: recordCommand('resume'), record_stop: recordCommand('stop'),
};

/** What this node runs: every command of the plane; `overrides` replace handlers (a command left out answers not_supported). */
export function defaultCommandRegistry(overrides: Partial<Record<CallCommandName, CommandHandler>> = {}): CommandRegistry {
  const registry = {} as Record<CallCommandName, CommandHandler>;
  for (const name of CALL_COMMANDS) registry[name] = overrides[name] ?? RUNS[name] ?? notSupportedCommand(name);
  return registry;
}
