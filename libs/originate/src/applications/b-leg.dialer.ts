import { newId } from '@legwork/common';
import type { PresentedCaller } from '../engine/caller-identity';
import { bLegCaller, bLegInvite, uriAddress } from '../engine/invite-builder';
import type { RouteTarget } from '../engine/originate.types';
import { Leg } from '../legs/leg';
import { isWebRtcTarget } from '../media/rtpengine/webrtc-sides';
import type { SipResponse } from '@legwork/sip';
import type { DialResult } from '../legs/leg.types';
import type { AnsweredA, SessionView } from './application.types';

/** Ringing bound of a B-leg when the request names no Timeout (Kazoo's ecallmgr default). */
export const DEFAULT_TIMEOUT_S = 10;
/** Carrier failures worth trying the next gateway for (the route itself may still be fine). */
const NEXT_GATEWAY = new Set(['NORMAL_TEMPORARY_FAILURE', 'NETWORK_OUT_OF_ORDER', 'RECOVERY_ON_TIMER_EXPIRE', 'DESTINATION_OUT_OF_ORDER', 'SERVICE_UNAVAILABLE']);

export type Failure = { cause: string; status?: number };

export interface DialOptions {
  /** The destination's own ringing bound (an endpoint's Endpoint-Timeout), within the request's Timeout. */
  timeoutSeconds?: number;
  /** A retrieve: when no target answers, the A-leg stays (the caller puts the call back as it was). */
  keepOnFailure?: boolean;
  /** A retrieve: the new leg is the user's own phone leg (role a, the device it rings), not a B-leg of the A-leg's device. */
  ownLeg?: boolean;
  /** A retrieve: the caller id the new device is shown, the remote party the leaving device was shown (not the request's). */
  caller?: PresentedCaller;
}

/**
 * Dials the targets in order (local first, then carriers) until one is bridged to the answered A-leg, moving on
 * only after network-type failures; when none is, the A-leg ends with the last cause.
 */
export async function connectToTargets(s: SessionView, a: AnsweredA, targets: RouteTarget[], initial: Failure, opts: DialOptions = {}): Promise<void> {
  let last = initial;
  for (const target of targets) {
    if (s.call.stopped || a.leg.ended) return;
    // what the route resolved to is held to the same rules the request was checked against before it rang
    const barred = target.kind === 'carrier' && target.number !== undefined ? s.policy?.destination(target.number) : undefined;
    if (barred !== undefined && !barred.ok) {
      last = { cause: barred.cause };
      break;
    }
    const outcome = await dialB(s, a, target, opts);
    if (outcome === undefined) return;
    last = outcome;
    if (!NEXT_GATEWAY.has(outcome.cause)) break;
  }
  if (opts.keepOnFailure === true) return;
  await a.leg.end({ cause: last.cause, ...(last.status !== undefined ? { status: last.status } : {}) });
}

/**
 * The B-leg for one target, adopted by the call; paired with A from the start (A's hangup cancels it) unless one of a
 * hunt; `own`: the user's own phone leg (role a, its device), as a retrieve dials it.
 */
export function newBLeg(s: SessionView, a: AnsweredA, target: RouteTarget, callId: string, paired = true, own = false, caller = bLegCaller(s.req, a.endpoint, target)): Leg {
  const { fromDomain } = s.host;
  const endpointId = own ? target.endpointId : a.leg.init.endpointId;
  const b = new Leg(s.legContext, {
    callId, role: own ? 'a' : 'b', accountId: s.accountId, peerCallId: a.leg.callId, sequenceId: a.leg.sequenceId, holdsChannel: true, channelAncestors: s.channels.ancestorIds,
    ...(endpointId !== undefined ? { endpointId } : {}),
    ...(a.leg.init.ownerId !== undefined ? { ownerId: a.leg.init.ownerId } : {}),
    from: `${caller.number}@${fromDomain}`, to: uriAddress(target.requestUri),
    callerIdNumber: caller.number,
    ...(caller.name !== undefined ? { callerIdName: caller.name } : {}),
    ...(s.req['Custom-Application-Vars'] !== undefined ? { cav: s.req['Custom-Application-Vars'] } : {}),
    // the B-leg's events say whose call it is too (per-user event streams, CDR scoping)
    ccv: { ...s.exportedCcv(), ...(a.leg.init.ownerId !== undefined ? { 'Owner-ID': a.leg.init.ownerId } : {}) },
  });
  s.call.adopt(b);
  if (paired) s.call.pair(a.leg, b);
  return b;
}

/** Dials one destination; undefined when it was bridged (or the channel was refused and A already ended). */
async function dialB(s: SessionView, a: AnsweredA, target: RouteTarget, opts: DialOptions): Promise<Failure | undefined> {
  const { opts: hostOpts, fromDomain, contactUser } = s.host;
  const callId = newId();
  try {
    await s.channels.acquire([callId]);
  } catch {
    await a.leg.end({ cause: 'OUTGOING_CALL_BARRED' });
    return undefined;
  }
  const caller = opts.caller ?? bLegCaller(s.req, a.endpoint, target);
  const invite = bLegInvite(s.req, a.endpoint, target, fromDomain, contactUser, await a.media.offerForB(isWebRtcTarget(target.target)), callId, caller);
  const b = newBLeg(s, a, target, callId, true, opts.ownLeg === true, caller);
  await b.create();
  // bypass gives A no early media: only a re-INVITE could, racing the one B's 200 needs (491); ringback needs `process`
  if (a.media.mode === 'process' && s.req['Ignore-Early-Media'] !== true) b.onEarlyMedia((sdp) => void a.media.onBAnswer(sdp).catch(() => undefined));
  const overall = s.req.Timeout ?? DEFAULT_TIMEOUT_S;
  const timer = setTimeout(() => b.cancel('NO_ANSWER'), Math.min(overall, opts.timeoutSeconds ?? overall) * 1000);
  const res: DialResult = await b.dial(hostOpts.sip, invite).finally(() => clearTimeout(timer));
  if (res.kind === 'failed') {
    await b.end({ cause: res.cause, ...(res.status !== undefined ? { status: res.status } : {}) });
    return { cause: res.cause, ...(res.status !== undefined ? { status: res.status } : {}) };
  }
  return joinAnswered(s, a, b, res.response);
}

/** B answered: A gets B's answer (RFC 3725 flow IV re-INVITE in bypass) and both are bridged; undefined in every case. */
export async function joinAnswered(s: SessionView, a: AnsweredA, b: Leg, response: SipResponse): Promise<undefined> {
  b.media = a.media.legMedia('b');
  if (a.leg.ended) {
    await b.end({ cause: 'ORIGINATOR_CANCEL' });
    return undefined;
  }
  // after a reliable 183 carried the answer, the 2xx need not repeat it (RFC 3262 §5)
  const answer = response.body.length > 0 ? response.bodyText : (b.earlySdp ?? '');
  const sdpForA = await a.media.onBAnswer(answer);
  // RFC 3725 flow IV: A re-INVITEd without SDP, its fresh offer answered with B's answer in the ACK
  if (sdpForA !== undefined) {
    const reply = await s.call.negotiation.run(() => a.dialog.reinvite({ answer: () => sdpForA }));
    if (reply.status >= 300) {
      await Promise.all([b.end({ cause: 'INCOMPATIBLE_DESTINATION' }), a.leg.end({ cause: 'INCOMPATIBLE_DESTINATION', status: reply.status })]);
      return undefined;
    }
  }
  // A's CHANNEL_BRIDGE is out before B's: listeners that see the B-leg bridged find the A-leg bridged too
  await a.leg.bridge(b);
  await b.bridge(a.leg);
  return undefined;
}
