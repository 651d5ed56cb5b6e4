import { gregorianSeconds } from '@legwork/contracts';
import type { CallView } from '@legwork/originate-client';

/** A live leg as Kazoo's channels API shows it (lower_snake_case, gregorian timestamps). */
export function channelView(call: CallView): Record<string, unknown> {
  const at = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : gregorianSeconds(ms));
  const view: Record<string, unknown> = {
    uuid: call.callId,
    call_id: call.callId,
    account_id: call.accountId,
    media_node: call.nodeId,
    leg: call.leg,
    other_leg: call.peerCallId,
    state: call.state,
    answered: call.answered === true,
    direction: call.leg === 'a' ? 'outbound' : 'inbound',
    from: call.from,
    to: call.to,
    destination: call.to,
    caller_id_name: call.callerIdName,
    caller_id_number: call.callerIdNumber,
    callee_id_name: call.calleeIdName,
    callee_id_number: call.calleeIdNumber,
    recording: call.recording,
    custom_application_vars: call.customApplicationVars,
    timestamp: at(call.createdAt),
    ringing_timestamp: at(call.ringingAt),
    answered_timestamp: at(call.answeredAt),
    bridged_timestamp: at(call.bridgedAt),
  };
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined));
}
