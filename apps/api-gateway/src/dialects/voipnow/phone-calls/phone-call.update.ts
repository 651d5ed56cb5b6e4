import type { CallCommandName } from '@legwork/contracts';
import type { CallView, CommandOutcome } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';

/** PUT link.self: what the app asks of the call. */
export type PhoneCallUpdate = { action: 'hold' | 'unhold' } | { action: 'transfer'; sendCallTo: string };

const ACTIONS = ['hold', 'unhold', 'transfer'] as const;
// recording updates come with call recording; anything else VoipNow has (park, monitor) has no command here
const NOT_HERE = ['record', 'startrecording', 'stoprecording', 'pauserecording', 'resumerecording', 'park', 'monitor', 'whisper', 'barge'];
// an extension, an extended number or a phone number as typed; the directory decides what it is
const DESTINATION = /^\+?[0-9][0-9*#\- ().]{0,39}$/;

/** `{action, sendCallTo?}`; actions as VoipNow writes them (`Hold`, `Transfer`) or in lower case. */
export function parsePhoneCallUpdate(body: unknown): PhoneCallUpdate {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw VoipnowError.invalid('request_invalid', 'the body must be a JSON object');
  const given = body as Record<string, unknown>;
  const action = typeof given['action'] === 'string' ? given['action'].toLowerCase() : undefined;
  if (action !== undefined && NOT_HERE.includes(action)) throw new VoipnowError(501, 'pc_action_not_supported', `action ${String(given['action'])} is not supported on this platform`);
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) throw VoipnowError.invalid('pc_action_invalid', `action must be one of Hold, Unhold, Transfer`);
  if (action !== 'transfer') return { action: action as 'hold' | 'unhold' };
  const to = given['sendCallTo'];
  if (typeof to !== 'string' || !DESTINATION.test(to.trim())) throw VoipnowError.invalid('pc_destination_invalid', 'sendCallTo must be an extension or a phone number');
  return { action: 'transfer', sendCallTo: to.trim() };
}

/** The command and the leg it acts on: hold and unhold the far end (it hears the music), a transfer moves the far end off the app's phone. */
export function updateCommand(update: PhoneCallUpdate, phoneLeg: CallView): { callId: string; command: CallCommandName } {
  if (update.action === 'transfer') return { callId: phoneLeg.callId, command: 'blind_transfer' };
  if (phoneLeg.peerCallId === undefined) throw callState('the phone call has no connected destination yet');
  return { callId: phoneLeg.peerCallId, command: update.action };
}

const callState = (message: string): VoipnowError => new VoipnowError(409, 'pc_state_invalid', message);

/** The media node's answer as VoipNow's: ok is nothing to say; a state that does not allow it is 409; a call gone is 404. */
export function updateOutcome(outcome: CommandOutcome): void {
  if (outcome.result === 'ok') return;
  if (outcome.result === 'no_such_call') throw VoipnowError.notFound('phone call');
  const why = outcome.message ?? outcome.result;
  if (outcome.result === 'invalid_state') throw callState(why);
  throw new VoipnowError(502, 'pc_action_failed', why);
}
