import type { CallRecord } from '@legwork/call-state';
import type { CallView, LiveCallFilter } from './origination-client';

/** A leg as call-state holds it, without the dialect-private fields; undefined values left out. */
export function toCallView(call: CallRecord): CallView {
  const view: CallView = {
    callId: call.callId,
    accountId: call.accountId,
    nodeId: call.nodeId,
    leg: call.leg,
    peerCallId: call.peerCallId,
    state: call.state,
    answered: call.answeredAt !== undefined,
    from: call.from,
    to: call.to,
    callerIdName: call.callerIdName,
    callerIdNumber: call.callerIdNumber,
    calleeIdName: call.calleeIdName,
    calleeIdNumber: call.calleeIdNumber,
    recording: call.recording,
    hold: call.hold,
    hangupCause: call.hangupCause,
    endpointId: call.endpointId,
    ownerId: call.ownerId,
    customApplicationVars: call.cav,
    createdAt: call.createdAt,
    ringingAt: call.ringingAt,
    answeredAt: call.answeredAt,
    bridgedAt: call.bridgedAt,
    endedAt: call.endedAt,
  };
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as CallView;
}

/** True when the filter admits the leg: no filter admits all; otherwise its owner or its device must match. */
export function admits(filter: LiveCallFilter | undefined, call: Pick<CallRecord, 'ownerId' | 'endpointId'>): boolean {
  if (filter === undefined || (filter.ownerId === undefined && filter.endpointIds === undefined)) return true;
  if (filter.ownerId !== undefined && call.ownerId === filter.ownerId) return true;
  return call.endpointId !== undefined && (filter.endpointIds ?? []).includes(call.endpointId);
}
