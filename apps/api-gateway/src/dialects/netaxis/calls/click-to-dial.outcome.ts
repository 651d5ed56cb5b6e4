import { callIdsOf, type OriginateOutcome } from '@legwork/originate-client';
import { NetaxisError } from '../core/netaxis-error';

/** Causes a call ends with once the user's phones rang: the call existed (GET shows it Released). */
const AFTER_RINGING = new Set(['NO_ANSWER', 'USER_BUSY', 'CALL_REJECTED', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL', 'LOSE_RACE', 'NORMAL_CLEARING']);

function failure(cause: string): NetaxisError {
  switch (cause) {
    case 'channel_limit_reached':
      return new NetaxisError(503, 'CHANNEL_LIMIT_REACHED', "the tenant's concurrent call limit is reached");
    case 'MEDIA_SERVER_UNAVAILABLE':
      return new NetaxisError(503, 'SERVICE_UNAVAILABLE', 'no media server is available to make the call');
    case 'OUTGOING_CALL_BARRED':
      return new NetaxisError(403, 'CALL_BARRED', "the call is barred by the tenant's outbound rules");
    default:
      return new NetaxisError(502, 'CALL_FAILED', `the call could not be started: ${cause}`);
  }
}

/** The callId of a click-to-dial that rang (the leg that started or answered, else the first), or the error for one that could not. */
export function clickToDialCallId(outcome: OriginateOutcome): string {
  if (outcome.kind === 'timeout') throw new NetaxisError(504, 'TIMEOUT', 'the platform did not start the call in time');
  if (outcome.kind === 'initiated') {
    const callId = outcome.callId ?? outcome.callIds[0];
    if (callId === undefined) throw failure('NO_ENDPOINTS');
    return callId;
  }
  const rang = AFTER_RINGING.has(outcome.cause) ? callIdsOf(outcome.request)[0] : undefined;
  if (rang === undefined) throw failure(outcome.cause);
  return rang;
}
