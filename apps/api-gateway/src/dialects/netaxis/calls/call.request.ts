import { NetaxisError } from '../core/netaxis-error';

/** PUT {callId}/ actions (the seed's User Call Modify Actions). */
export type CallAction =
  | { action: 'hold' }
  | { action: 'reconnect' }
  | { action: 'blindTransfer'; phoneNumber: string }
  | { action: 'consultativeTransfer'; transferCallId: string }
  | { action: 'startRecording' | 'pauseRecording' | 'resumeRecording' | 'stopRecording' };

export const CALL_ACTIONS = ['hold', 'reconnect', 'blindTransfer', 'consultativeTransfer', 'startRecording', 'pauseRecording', 'resumeRecording', 'stopRecording'] as const;

// digits with an optional +, or formatting a caller may type; the directory decides what it is
const DIALLABLE = /^\+?[0-9][0-9 ().\-/*]{0,39}$/;
// our legs' Call-IDs and the seed's `callhalf-1595867:0` alike; nothing that could reach a key or a log unescaped
const CALL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;

function objectBody(body: unknown, allowEmpty: boolean): Record<string, unknown> {
  if ((body === undefined || body === null || body === '') && allowEmpty) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw NetaxisError.invalid('body', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A phone number (see Phone Number) or an extension, as typed; 400 INVALID_PHONE_NUMBER naming the field otherwise. */
export function phoneNumberField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === '') throw NetaxisError.invalid(field, `${field} is required`, 'INVALID_PHONE_NUMBER');
  if (typeof value !== 'string' || !DIALLABLE.test(value.trim())) throw NetaxisError.invalid(field, `${field} must be a phone number or an extension`, 'INVALID_PHONE_NUMBER');
  return value.trim();
}

/** POST calls/: `{phoneNumber}`. */
export function parseCallRequest(body: unknown): { phoneNumber: string } {
  return { phoneNumber: phoneNumberField(objectBody(body, false), 'phoneNumber') };
}

/** POST imrn/: `{phoneNumber, callingPhoneNumber}`. */
export function parseImrnRequest(body: unknown): { phoneNumber: string; callingPhoneNumber: string } {
  const given = objectBody(body, false);
  return { phoneNumber: phoneNumberField(given, 'phoneNumber'), callingPhoneNumber: phoneNumberField(given, 'callingPhoneNumber') };
}

/** `includeDetails` in the body (as the seed sends it) or in the query: true, false or absent. */
export function parseIncludeDetails(query: Record<string, unknown>, body: unknown): boolean {
  const fromBody = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['includeDetails'] : undefined;
  const value = fromBody !== undefined ? fromBody : query['includeDetails'];
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true' || value === '') return true;
  throw NetaxisError.invalid('includeDetails', 'includeDetails must be true or false');
}

/** A callId of the path or the body; undefined when it cannot be one (answered 404 like an unknown one). */
export function callIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && CALL_ID.test(value) ? value : undefined;
}

/** PUT {callId}/: `{action, phoneNumber?, transferCallId?}`. */
export function parseCallAction(body: unknown): CallAction {
  const given = objectBody(body, false);
  const action = given['action'];
  if (typeof action !== 'string' || !(CALL_ACTIONS as readonly string[]).includes(action)) {
    throw NetaxisError.invalid('action', `action must be one of ${CALL_ACTIONS.join(', ')}`);
  }
  if (action === 'blindTransfer') return { action, phoneNumber: phoneNumberField(given, 'phoneNumber') };
  if (action === 'consultativeTransfer') {
    const transferCallId = callIdOf(given['transferCallId']);
    if (transferCallId === undefined) throw NetaxisError.invalid('transferCallId', 'transferCallId must be the call identifier of the consulted party');
    return { action, transferCallId };
  }
  return { action } as CallAction;
}
