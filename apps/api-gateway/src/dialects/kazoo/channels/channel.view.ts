import type { CallRecord } from '@legwork/call-state';
import { gregorianSeconds } from '@legwork/contracts';

/** A live leg as Kazoo's channels API shows it (lower_snake_case, gregorian timestamps). */
export function channelView(call: CallRecord): Record<string, unknown> {
  const at = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : gregorianSeconds(ms));
  const view: Record<string, unknown> = {
    uuid: call.callId,
    call_id: call.callId,
    account_id: call.accountId,
    media_node: call.nodeId,
    leg: call.leg,
    other_leg: call.peerCallId,
    state: call.state,
    answered: call.answeredAt !== undefined,
    direction: call.leg === 'a' ? 'outbound' : 'inbound',
    from: call.from,
    to: call.to,
    destination: call.to,
    caller_id_name: call.callerIdName,
    caller_id_number: call.callerIdNumber,
    callee_id_name: call.calleeIdName,
    callee_id_number: call.calleeIdNumber,
    recording: call.recording,
    custom_application_vars: call.cav,
    timestamp: at(call.createdAt),
    ringing_timestamp: at(call.ringingAt),
    answered_timestamp: at(call.answeredAt),
    bridged_timestamp: at(call.bridgedAt),
  };
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined));
}
