import { callIdsOf, type OriginateOutcome } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';

/** Causes a call ends with once its sources rang: the PhoneCall existed, and GET tells how it ended. */
const AFTER_RINGING = new Set(['NO_ANSWER', 'USER_BUSY', 'CALL_REJECTED', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL', 'LOSE_RACE', 'NORMAL_CLEARING']);

/** The error a call that could not start answers with, by its Error-Message. */
export function startFailure(cause: string): VoipnowError {
  switch (cause) {
    case 'channel_limit_reached':
      return new VoipnowError(503, 'channel_limit_reached', "the organization's concurrent call limit is reached");
    case 'MEDIA_SERVER_UNAVAILABLE':
      return new VoipnowError(503, 'service_unavailable', 'no media server is available to make the call');
    case 'OUTGOING_CALL_BARRED':
      return new VoipnowError(403, 'pc_call_barred', "the call is barred by the organization's outbound rules");
    default:
      return new VoipnowError(502, 'pc_call_failed', `the call could not be started: ${cause}`);
  }
}

/**
 * The source legs' call ids of a call that rang (started, answered, or ended unanswered), or the error in VoipNow's
 * shape for one that could not start.
 */
export function startedLegs(outcome: OriginateOutcome): string[] {
  if (outcome.kind === 'timeout') throw new VoipnowError(504, 'pc_call_timeout', 'the platform did not start the call in time');
  const callIds = outcome.kind === 'initiated' ? outcome.callIds : AFTER_RINGING.has(outcome.cause) ? callIdsOf(outcome.request) : [];
  if (outcome.kind === 'failed' && callIds.length === 0) throw startFailure(outcome.cause);
  if (callIds.length === 0) throw startFailure('NO_ENDPOINTS');
  return callIds;
}
