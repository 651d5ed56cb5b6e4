import type { OriginateOutcome } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';

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

/** The source legs' call ids of a started call, or the error in VoipNow's shape. */
export function startedLegs(outcome: OriginateOutcome): string[] {
  if (outcome.kind === 'failed') throw startFailure(outcome.cause);
  if (outcome.kind === 'timeout') throw new VoipnowError(504, 'pc_call_timeout', 'the platform did not start the call in time');
  if (outcome.callIds.length === 0) throw startFailure('NO_ENDPOINTS');
  return outcome.callIds;
}
