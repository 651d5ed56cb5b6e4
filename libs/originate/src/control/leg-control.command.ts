import type { LegControls } from '../call/call-control';
import { CallControlError } from '../call/call-control.errors';
import type { CallCommand } from '@legwork/contracts';
import { type CallController, type CommandHandler, type CommandOutcome, outcome } from './command.types';

type Control = (controls: LegControls, callId: string, cmd: CallCommand, engine: CallController) => Promise<CommandOutcome>;

/** A command on a leg live here (else forwarded to its owner); what does not apply is invalid_state with the state found. */
function onLiveLeg(run: Control): CommandHandler {
  return async (cmd, { engine, locate }) => {
    const callId = cmd['Call-ID'];
    const call = engine.findCall?.(callId);
    if (call === undefined || call.legState(callId) === undefined) return locate.elsewhere(callId);
    try {
      return await run(call.control, callId, cmd, engine);
    } catch (err) {
      if (err instanceof CallControlError) return err.code === 'invalid_state' ? outcome.invalidState(err.state, err.message) : outcome.failed(err.message);
      // a fault in one command is that command's failure, never the consumer's
      return outcome.failed(`call command ${cmd['Application-Name']} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** `hold`: the party of the leg named is held (sendonly toward it, music on hold through rtpengine). */
export const holdCommand = onLiveLeg(async (controls, callId) => outcome.ok(await controls.hold(callId)));

/** `unhold`: the held party of the leg named talks again (sendrecv). */
export const unholdCommand = onLiveLeg(async (controls, callId) => outcome.ok(await controls.unhold(callId)));

/** `reconnect`: the leg named comes off hold (when held) and every other call of its owner is released. */
export const reconnectCommand = onLiveLeg(async (controls, callId, _cmd, engine) => {
  const state = await controls.retrieve(callId);
  const released = (await engine.releaseOtherCalls?.(callId)) ?? [];
  return outcome.ok(state, { 'Released-Call-IDs': released });
});

/** `blind_transfer` (and `transfer` unless attended): the leg named leaves, its peer is connected to Transfer-To. */
export const blindTransferCommand = onLiveLeg(async (controls, callId, cmd) => {
  if (cmd['Transfer-Type'] === 'attended') return outcome.notSupported('an attended transfer is not supported yet on this media node');
  const to = cmd['Transfer-To'] ?? '';
  const remaining = await controls.blindTransfer(callId, to);
  return outcome.ok('ended', { 'Other-Leg-Call-ID': remaining, 'Transfer-To': to });
});
