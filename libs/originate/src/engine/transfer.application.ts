import { newId } from '@legwork/common';
import { Leg } from '../legs/leg';
import type { DialResult } from '../legs/leg.types';
import { bLegCaller, bLegInvite, uriAddress } from './invite-builder';
import type { AnsweredA, OriginateSession } from './originate.session';
import type { RouteTarget } from './originate.types';

const DEFAULT_TIMEOUT_S = 30;
/** Carrier failures worth trying the next gateway for (the route itself may still be fine). */
const NEXT_GATEWAY = new Set(['NORMAL_TEMPORARY_FAILURE', 'NETWORK_OUT_OF_ORDER', 'RECOVERY_ON_TIMER_EXPIRE', 'DESTINATION_OUT_OF_ORDER', 'SERVICE_UNAVAILABLE']);

type Failure = { cause: string; status?: number };

/** `transfer`: dial Application-Data.Route (local first, then carriers in order) and bridge it to the answered A-leg. */
export async function runTransfer(s: OriginateSession, a: AnsweredA): Promise<void> {
  const host = s.hostRef;
  const route = s.req['Application-Data']?.Route ?? '';
  const { targets, failure } = await host.opts.resolver.resolveRoute(route, s.accountId);
  let last: Failure = { cause: failure?.cause ?? 'NO_ROUTE_DESTINATION' };
  for (const target of targets) {
    if (s.isStopped || a.leg.ended) return;
    // what the route resolved to is held to the same rules the request was checked against before it rang
    const barred = target.kind === 'carrier' && target.number !== undefined ? s.policy?.destination(target.number) : undefined;
    if (barred !== undefined && !barred.ok) {
      last = { cause: barred.cause };
      break;
    }
    const outcome = await dialB(s, a, target);
    if (outcome === undefined) return;
    last = outcome;
    if (!NEXT_GATEWAY.has(outcome.cause)) break;
  }
  await a.leg.end({ cause: last.cause, ...(last.status !== undefined ? { status: last.status } : {}) });
}

/** Dials one destination; undefined when it was bridged (or the channel was refused and A already ended). */
async function dialB(s: OriginateSession, a: AnsweredA, target: RouteTarget): Promise<Failure | undefined> {
  const host = s.hostRef;
  const callId = newId();
  try {
    await s.acquireChannels([callId]);
  } catch {
    await a.leg.end({ cause: 'OUTGOING_CALL_BARRED' });
    return undefined;
  }
  const invite = bLegInvite(s.req, a.endpoint, target, host.fromDomain, host.contactUser, await a.media.offerForB(), callId);
  const caller = bLegCaller(s.req, a.endpoint, target);
  const b = s.adopt(new Leg(s.legContext, {
    callId, role: 'b', accountId: s.accountId, peerCallId: a.leg.callId, holdsChannel: true, channelAncestors: s.ancestorIds,
    ...(a.leg.init.endpointId !== undefined ? { endpointId: a.leg.init.endpointId } : {}),
    ...(a.leg.init.ownerId !== undefined ? { ownerId: a.leg.init.ownerId } : {}),
    from: `${caller.number}@${host.fromDomain}`, to: uriAddress(target.requestUri),
    callerIdNumber: caller.number,
    ...(caller.name !== undefined ? { callerIdName: caller.name } : {}),
    ...(s.req['Custom-Application-Vars'] !== undefined ? { cav: s.req['Custom-Application-Vars'] } : {}),
    // the B-leg's events say whose call it is too (per-user event streams, CDR scoping)
    ccv: { ...s.exportedCcv(), ...(a.leg.init.ownerId !== undefined ? { 'Owner-ID': a.leg.init.ownerId } : {}) },
  }));
  await b.create();
  b.onRemoteEnd(() => void a.leg.end({ cause: 'NORMAL_CLEARING' }));
  // bypass gives A no early media: only a re-INVITE could, racing the one B's 200 needs (491); ringback needs `process`
  if (a.media.mode === 'process' && s.req['Ignore-Early-Media'] !== true) b.onEarlyMedia((sdp) => void a.media.onBAnswer(sdp).catch(() => undefined));
  const timer = setTimeout(() => b.cancel('NO_ANSWER'), (s.req.Timeout ?? DEFAULT_TIMEOUT_S) * 1000);
  const res: DialResult = await b.dial(host.opts.sip, invite).finally(() => clearTimeout(timer));
  if (res.kind === 'failed') {
    await b.end({ cause: res.cause, ...(res.status !== undefined ? { status: res.status } : {}) });
    return { cause: res.cause, ...(res.status !== undefined ? { status: res.status } : {}) };
  }
  if (a.leg.ended) {
    await b.end({ cause: 'ORIGINATOR_CANCEL' });
    return undefined;
  }
  // after a reliable 183 carried the answer, the 2xx need not repeat it (RFC 3262 §5)
  const answer = res.response.body.length > 0 ? res.response.body.toString() : (b.earlySdp ?? '');
  const sdpForA = await a.media.onBAnswer(answer);
  // RFC 3725 flow IV: A re-INVITEd without SDP, its fresh offer answered with B's answer in the ACK
  if (sdpForA !== undefined) {
    const reply = await a.dialog.reinvite({ answer: () => sdpForA });
    if (reply.status >= 300) {
      await Promise.all([b.end({ cause: 'INCOMPATIBLE_DESTINATION' }), a.leg.end({ cause: 'INCOMPATIBLE_DESTINATION', status: reply.status })]);
      return undefined;
    }
  }
  await Promise.all([a.leg.bridge(b.callId), b.bridge(a.leg.callId)]);
  return undefined;
}
