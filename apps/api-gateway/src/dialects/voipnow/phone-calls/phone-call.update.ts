import type { CallCommandName } from '@legwork/contracts';
import type { CallView, CommandOutcome } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';

type RecordingAction = 'startrecording' | 'stoprecording' | 'pauserecording' | 'resumerecording';

/** PUT link.self: what the app asks of the call. */
export type PhoneCallUpdate = { action: 'hold' | 'unhold' } | { action: 'transfer'; sendCallTo: string } | { action: RecordingAction };

/** VoipNow's recording actions (StartRecording, StopRecording; pause and resume as the plane has them) and their call_command. */
const RECORDING_COMMANDS: Record<RecordingAction, CallCommandName> = {
  startrecording: 'record_start',
  stoprecording: 'record_stop',
  pauserecording: 'record_pause',
  resumerecording: 'record_resume',
};
const ACTIONS: readonly string[] = ['hold', 'unhold', 'transfer', ...Object.keys(RECORDING_COMMANDS)];
const ACTION_NAMES = 'Hold, Unhold, Transfer, StartRecording, StopRecording, PauseRecording, ResumeRecording';
// anything else VoipNow has (park, monitor) has no command here
const NOT_HERE = ['record', 'park', 'monitor', 'whisper', 'barge'];
// an extension, an extended number or a phone number as typed; the directory decides what it is
const DESTINATION = /^\+?[0-9][0-9*#\- ().]{0,39}$/;

const isRecording = (action: string): action is RecordingAction => Object.hasOwn(RECORDING_COMMANDS, action);

/** StartRecording's `format`: `wav` (the default) is what the media node writes; VoipNow's GSM `wav49` it cannot. */
function checkFormat(format: unknown): void {
  if (format === undefined || (typeof format === 'string' && format.toLowerCase() === 'wav')) return;
  if (typeof format === 'string' && format.toLowerCase() === 'wav49') throw new VoipnowError(501, 'pc_action_not_supported', 'format wav49 is not supported on this platform: recordings are 16-bit PCM wav');
  throw VoipnowError.invalid('pc_format_invalid', 'format must be wav or wav49');
}

/** `{action, sendCallTo?, format?, phoneCallViewId?}`; actions as VoipNow writes them (`Hold`, `StartRecording`) or in lower case. */
export function parsePhoneCallUpdate(body: unknown): PhoneCallUpdate {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw VoipnowError.invalid('request_invalid', 'the body must be a JSON object');
  const given = body as Record<string, unknown>;
  const action = typeof given['action'] === 'string' ? given['action'].toLowerCase() : undefined;
  if (action !== undefined && NOT_HERE.includes(action)) throw new VoipnowError(501, 'pc_action_not_supported', `action ${String(given['action'])} is not supported on this platform`);
  if (action === undefined || !ACTIONS.includes(action)) throw VoipnowError.invalid('pc_action_invalid', `action must be one of ${ACTION_NAMES}`);
  // a PhoneCall here is one view: the id names it, whatever its value
  const view = given['phoneCallViewId'];
  if (view !== undefined && (typeof view !== 'string' || view.length === 0 || view.length > 64)) throw VoipnowError.invalid('request_invalid', 'phoneCallViewId must be a string of 1 to 64 characters');
  if (isRecording(action)) {
    if (action === 'startrecording') checkFormat(given['format']);
    return { action };
  }
  if (action !== 'transfer') return { action: action as 'hold' | 'unhold' };
  const to = given['sendCallTo'];
  if (typeof to !== 'string' || !DESTINATION.test(to.trim())) throw VoipnowError.invalid('pc_destination_invalid', 'sendCallTo must be an extension or a phone number');
  return { action: 'transfer', sendCallTo: to.trim() };
}

/**
 * The command and the leg it acts on: hold and unhold the far end (it hears the music), a transfer moves the far end
 * off the app's phone, a recording records the phone's call with the destination.
 */
export function updateCommand(update: PhoneCallUpdate, phoneLeg: CallView): { callId: string; command: CallCommandName } {
  if (update.action === 'transfer') return { callId: phoneLeg.callId, command: 'blind_transfer' };
  if (phoneLeg.peerCallId === undefined) throw callState('the phone call has no connected destination yet');
  // both sides go to one file, the phone's on the left
  if (isRecording(update.action)) return { callId: phoneLeg.callId, command: RECORDING_COMMANDS[update.action] };
  return { callId: phoneLeg.peerCallId, command: update.action };
}

const callState = (message: string): VoipnowError => new VoipnowError(409, 'pc_state_invalid', message);

/**
 * The media node's answer as VoipNow's: ok is nothing to say; a state that does not allow it is 409; a call gone is
 * 404; what the node cannot do for this call (a recording without RECORDING_DIR, a party refusing to move its media) 501.
 */
export function updateOutcome(outcome: CommandOutcome): void {
  if (outcome.result === 'ok') return;
  if (outcome.result === 'no_such_call') throw VoipnowError.notFound('phone call');
  const why = outcome.message ?? outcome.result;
  if (outcome.result === 'invalid_state') throw callState(why);
  if (outcome.result === 'not_supported') throw new VoipnowError(501, 'pc_action_not_supported', why);
  throw new VoipnowError(502, 'pc_action_failed', why);
}
