import { newId } from '@legwork/common';
import { bLegInvite } from '../engine/invite-builder';
import type { RouteHunt, RouteTarget } from '../engine/originate.types';
import { Refusal } from '../engine/refusal';
import { isWebRtcTarget } from '../media/rtpengine/webrtc-sides';
import { type RingCandidate, type RingResult, type RingTiming, type SingleEntry, ringSimultaneous, ringSingle } from '../engine/ring.strategy';
import type { AnsweredA, SessionView } from './application.types';
import { DEFAULT_TIMEOUT_S, joinAnswered, newBLeg } from './b-leg.dialer';

/** How long each member rings in a `single` hunt, within the request's Timeout (Kazoo's ring group member default). */
export const GROUP_MEMBER_TIMEOUT_S = 20;

type Candidate = RingCandidate<RingTiming>;

/**
 * A group as the destination: its members' B-legs ring by the group's strategy (all at once, or one after the
 * other), the same way A-legs ring; the first to answer is paired with A and bridged, the rest are CANCELled.
 * When none answers, A ends with the last member's cause.
 */
export async function huntGroup(s: SessionView, a: AnsweredA, targets: RouteTarget[], hunt: RouteHunt): Promise<void> {
  if (s.call.stopped || a.leg.ended) return;
  // members ringing at once share one offer (one rtpengine side): WebRTC only when every member is a browser
  const shared = hunt.method === 'simultaneous' ? await a.media.offerForB(targets.every((t) => isWebRtcTarget(t.target))) : undefined;
  const overallS = s.req.Timeout ?? DEFAULT_TIMEOUT_S;
  const timing: RingTiming = hunt.method === 'single' ? { timeoutSeconds: Math.min(GROUP_MEMBER_TIMEOUT_S, overallS) } : {};
  // members are not paired with A while they ring: A's hangup ends the whole call, which cancels every one of them
  const candidate = async (target: RouteTarget, callId: string): Promise<Candidate> => {
    const b = newBLeg(s, a, target, callId, false);
    await b.create();
    const offer = shared ?? (await a.media.offerForB(isWebRtcTarget(target.target)));
    return { leg: b, endpoint: timing, invite: bLegInvite(s.req, a.endpoint, target, s.host.fromDomain, s.host.contactUser, offer, callId) };
  };
  const result = hunt.method === 'single' ? await one(s, a, targets, timing, overallS, candidate) : await all(s, targets, overallS, candidate);
  if (result === undefined) {
    await a.leg.end({ cause: 'OUTGOING_CALL_BARRED' });
    return;
  }
  if (!result.answered) {
    await a.leg.end({ cause: result.cause, ...(result.status !== undefined ? { status: result.status } : {}) });
    return;
  }
  s.call.pair(a.leg, result.winner.leg);
  await joinAnswered(s, a, result.winner.leg, result.response);
}

/** `simultaneous`: a channel for every member first (none ring when the account cannot hold them all); undefined then. */
async function all(s: SessionView, targets: RouteTarget[], overallS: number, candidate: (t: RouteTarget, callId: string) => Promise<Candidate>): Promise<RingResult<RingTiming> | undefined> {
  const callIds = targets.map(() => newId());
  try {
    await s.channels.acquire(callIds);
  } catch (err) {
    if (err instanceof Refusal) return undefined;
    throw err;
  }
  const candidates = await Promise.all(targets.map((t, i) => candidate(t, callIds[i])));
  return ringSimultaneous(s.host.opts.sip, candidates, overallS * 1000);
}

/** `single`: one member after the other, each leg (and its channel) created only when its turn comes. */
function one(s: SessionView, a: AnsweredA, targets: RouteTarget[], timing: RingTiming, overallS: number, candidate: (t: RouteTarget, callId: string) => Promise<Candidate>): Promise<RingResult<RingTiming>> {
  const entries: Array<SingleEntry<RingTiming>> = targets.map((target) => ({
    endpoint: timing,
    start: async () => {
      const callId = newId();
      try {
        await s.channels.acquire([callId]);
      } catch (err) {
        if (err instanceof Refusal) return { answered: false as const, cause: err.cause, reason: err.reason };
        throw err;
      }
      return candidate(target, callId);
    },
  }));
  return ringSingle(s.host.opts.sip, entries, overallS * 1000, () => s.call.stopped || a.leg.ended);
}
