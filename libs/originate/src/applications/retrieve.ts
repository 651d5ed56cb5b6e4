import type { Leg } from '../legs/leg';
import type { SessionView, AnsweredA } from './application.types';
import { connectToTargets } from './b-leg.dialer';

/** Pairs `leaving` and `remaining` again when no other device took the call; a call whose remaining party went ends whole. */
function putBack(s: SessionView, leaving: Leg, remaining: Leg): Promise<void> {
  if (remaining.ended) return leaving.ended ? Promise.resolve() : leaving.end({ cause: 'NORMAL_CLEARING' });
  if (leaving.ended) return remaining.end({ cause: 'NORMAL_CLEARING' });
  s.call.pair(leaving, remaining);
  return remaining.bridge(leaving);
}

/**
 * Call retrieve: the user's other devices ring with the remaining party's session while the call goes on; the one
 * that answers is bridged to the remaining party (re-INVITEd with its answer) and the leaving leg is released.
 * When none answers, the call stays as it was.
 */
export async function retrieveTo(s: SessionView, a: AnsweredA, leaving: Leg, targets: Parameters<typeof connectToTargets>[2]): Promise<void> {
  const remaining = a.leg;
  // the remaining party is bridged again to whichever device it ends up with
  await remaining.unbridge();
  // the device taking the call shows whom it is talking to, as the leaving one did
  const { callerIdNumber: number = 'anonymous', callerIdName: name } = leaving.init;
  await connectToTargets(s, a, targets, { cause: 'NO_ANSWER' }, { keepOnFailure: true, ownLeg: true, caller: { number, ...(name !== undefined ? { name } : {}) } });
  const peer = s.call.peerOf(remaining);
  if (remaining.ended || peer === undefined || peer === leaving || peer.ended) {
    await putBack(s, leaving, remaining);
    return;
  }
  leaving.noteForDestroy({ Disposition: 'RETRIEVED', 'Retrieved-By': peer.callId });
  await leaving.end({ cause: 'NORMAL_CLEARING' });
}
