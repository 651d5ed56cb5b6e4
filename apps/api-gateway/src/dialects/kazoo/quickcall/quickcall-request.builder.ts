import { randomBytes } from 'node:crypto';
import { sipUserProblem } from '@legwork/contracts';
import { buildOriginateRequest, type OriginateSpec } from '@legwork/originate-client';
import { kazooValidationError } from '../core/kazoo.contract';
import type { QuickcallOptions } from './quickcall.options';
import type { QuickcallTarget } from './quickcall.target';

export type WireObject = Record<string, unknown>;

/** cb_quickcall's leg id: 36 hex (18 random bytes) plus a marker, so events show where a leg came from. */
export function quickcallCallId(): string {
  return `${randomBytes(18).toString('hex')}-quickcall`;
}

/** Marks every quickcall leg's Outbound-Call-ID (see quickcallCallId). */
export const QUICKCALL_CALL_ID_SUFFIX = '-quickcall';

/**
 * A quickcall as crossbar builds it, in the shared origination terms: ring the target's devices showing
 * `cid-*` (default "Device/User QuickCall" and the number), then transfer the answered leg to the number,
 * showing the destination the device's or user's caller id; X-Kazoo-AOR on every device's INVITE.
 */
export function quickcallSpec(target: QuickcallTarget, number: string, opts: QuickcallOptions): OriginateSpec {
  return {
    accountId: target.account.id,
    authorizing: { id: target.id, type: target.kind },
    ownerId: target.ownerId,
    sources: target.devices,
    destination: number,
    callerIdToSource: { name: opts.cidName ?? (target.kind === 'device' ? 'Device QuickCall' : 'User QuickCall'), number: opts.cidNumber ?? number },
    callerIds: target.callerIds,
    presenceId: target.presenceId,
    timeoutS: opts.timeout,
    media: opts.media,
    autoAnswer: opts.autoAnswer,
    ignoreEarlyMedia: opts.ignoreEarlyMedia,
    callIdSuffix: QUICKCALL_CALL_ID_SUFFIX,
    customApplicationVars: opts.cavs,
    retainCallerId: opts.cidNumber !== undefined,
    existingCallId: opts.targetCallId,
    aorHeader: 'X-Kazoo-AOR',
  };
}

/** The originate_req body (no envelope) for a quickcall. A number that cannot be dialled is a 400 naming `number`. */
export function buildQuickcallRequest(target: QuickcallTarget, number: string, opts: QuickcallOptions, callId: () => string = quickcallCallId): WireObject {
  // the number becomes the route, the devices' To-DID and the default cid-number: it must be a SIP user part
  const why = sipUserProblem(number);
  if (why !== undefined) throw kazooValidationError([{ field: 'number', rule: 'format', message: `cannot be dialled: ${why}`, value: number }]);
  return buildOriginateRequest(quickcallSpec(target, number, opts), { callId });
}
