import type { LegControls } from '../call/call-control';
import { CallControlError } from '../call/call-control.errors';
import type { CallCommand } from '@legwork/contracts';
import { type CallController, type CommandHandler, type CommandOutcome, outcome } from './command.types';

export type Control = (controls: LegControls, callId: string, cmd: CallCommand, engine: CallController) => Promise<CommandOutcome>;

/** A command on a leg live here (else forwarded to its owner); what does not apply is invalid_state with the state found. */
export function onLiveLeg(run: Control): CommandHandler {
  return async (cmd, { engine, locate }) => {
    const callId = cmd['Call-ID'];
    const call = engine.findCall?.(callId);
    if (call === undefined || call.legState(callId) === undefined) return locate.elsewhere(callId);
    try {
      return await run(call.control, callId, cmd, engine);
    } catch (err) {
      if (err instanceof CallControlError) {
        if (err.code === 'invalid_state') return outcome.invalidState(err.state, err.message);
        return err.code === 'recording_disabled' ? outcome.notSupported(err.message) : outcome.failed(err.message);
      }
      // a fault in one command is that command's failure, never the consumer's
      return outcome.failed(`call command ${cmd['Application-Name']} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
