import type { CallCommandName } from '@legwork/contracts';
import type { CommandOutcome } from '@legwork/originate-client';
import { NetaxisError, type CallOperationText } from '../core/netaxis-error';
import type { CallAction } from './call.request';

/** The call_command each action runs on the media node. */
export const ACTION_COMMANDS: Record<CallAction['action'], CallCommandName> = {
  hold: 'hold',
  reconnect: 'reconnect',
  blindTransfer: 'blind_transfer',
  consultativeTransfer: 'consultative_transfer',
  startRecording: 'record_start',
  pauseRecording: 'record_pause',
  resumeRecording: 'record_resume',
  stopRecording: 'record_stop',
};

const isTransfer = (action: CallAction['action']): boolean => action === 'blindTransfer' || action === 'consultativeTransfer';

/** The seed's text for a recording action the node refused: disabled (cannot record), failed, or nothing to pause, resume or stop. */
function recordingText(action: CallAction['action'], outcome: CommandOutcome): CallOperationText {
  if (outcome.result === 'not_supported') return 'recordingDisabled';
  if (outcome.result === 'failed' || outcome.callState === 'failed') return 'recordingFailed';
  if (action === 'startRecording') return 'callState';
  return outcome.callState === 'idle' ? 'recordingNotActive' : 'callState';
}

const isRecording = (action: CallAction['action']): boolean => action.endsWith('Recording');

/**
 * A media node's call_command_result as the seed's answer: `ok` is 200 `{}`; a call gone meanwhile is 404; a
 * refusal is sub-error 59 with the closest text, the node's own words in `detail`.
 */
export function actionOutcome(action: CallAction['action'], outcome: CommandOutcome): void {
  if (outcome.result === 'ok') return;
  if (outcome.result === 'no_such_call') throw NetaxisError.notFound('call', 'callId');
  const detail = outcome.message ?? `${action}: ${outcome.result}${outcome.callState !== undefined ? ` (call ${outcome.callState})` : ''}`;
  let text: CallOperationText;
  if (isRecording(action)) text = recordingText(action, outcome);
  // the media node's state for a leg already being joined to another call
  else if (outcome.result === 'invalid_state') text = outcome.callState === 'transferring' ? 'consultativeInProgress' : 'callState';
  else if (isTransfer(action)) text = 'transferFailed';
  // the phone refused the re-INVITE (failed), or the node cannot run it (not_supported)
  else text = outcome.result === 'failed' ? 'endpointState' : 'callState';
  throw NetaxisError.callOperation(text, detail);
}
