import { randomBytes } from 'node:crypto';
import { sipUserProblem } from '@legwork/contracts';
import type { Device } from '@legwork/directory';
import { endpointCallerId } from '@legwork/originate';
import { kazooValidationError } from '../core/kazoo.contract';
import type { QuickcallOptions } from './quickcall.options';
import type { QuickcallTarget } from './quickcall.target';

export type WireObject = Record<string, unknown>;

const EXPORTED_CCVS = ['Account-ID', 'Retain-CID', 'Authorizing-ID', 'Authorizing-Type', 'Outbound-Callee-ID-Name', 'Outbound-Callee-ID-Number'];

/** cb_quickcall's leg id: 36 hex (18 random bytes) plus a marker, so events show where a leg came from. */
export function quickcallCallId(): string {
  return `${randomBytes(18).toString('hex')}-quickcall`;
}

function endpoint(device: Device, target: QuickcallTarget, number: string, autoAnswer: boolean | undefined, callId: string): WireObject {
  const { username, realm, invite_format: inviteFormat, route } = device.sip;
  const ccvs: WireObject = {
    'Account-ID': target.account.id,
    'Authorizing-ID': target.id,
    'Authorizing-Type': target.kind,
    ...(device.owner_id !== undefined ? { 'Owner-ID': device.owner_id } : {}),
    ...(autoAnswer !== undefined ? { 'Auto-Answer': autoAnswer } : {}),
    'Media-Encryption-Enforce-Security': false,
    'SIP-Invite-Domain': realm,
  };
  return {
    'Invite-Format': inviteFormat,
    'To-User': username,
    'To-Username': username,
    'To-Realm': realm,
    'To-DID': number,
    ...(inviteFormat === 'route' && route !== undefined ? { Route: route } : {}),
    'Endpoint-ID': device.id,
    Codecs: device.media?.audio.codecs ?? ['PCMU', 'PCMA'],
    'Presence-ID': target.presenceId ?? `${username}@${realm}`,
    'Outbound-Call-ID': callId,
    'Custom-SIP-Headers': { 'X-Kazoo-AOR': `sip:${username}@${realm}` },
    'Custom-Channel-Vars': ccvs,
  };
}

/**
 * The originate_req body (no envelope) for a quickcall, built as crossbar builds it: ring the
 * target's devices showing `cid-*` (default "Device/User QuickCall" and the number), then transfer
 * the answered leg to the number, showing the destination the device's or user's caller id.
 * A number that cannot be dialled is a 400 naming `number`.
 */
export function buildQuickcallRequest(target: QuickcallTarget, number: string, opts: QuickcallOptions, callId: () => string = quickcallCallId): WireObject {
  // the number becomes the route, the devices' To-DID and the default cid-number: it must be a SIP user part
  const why = sipUserProblem(number);
  if (why !== undefined) throw kazooValidationError([{ field: 'number', rule: 'format', message: `cannot be dialled: ${why}`, value: number }]);
  // Kazoo signals auto-answer only when a single phone rings: several phones answering at once would race
  const autoAnswer = target.devices.length === 1 ? opts.autoAnswer : undefined;
  const shown = endpointCallerId(target.callerIds, number);
  return {
    'Account-ID': target.account.id,
    'Application-Name': 'transfer',
    'Application-Data': { Route: number },
    'Continue-On-Fail': false,
    ...(Object.keys(opts.cavs).length > 0 ? { 'Custom-Application-Vars': { ...opts.cavs } } : {}),
    'Custom-Channel-Vars': {
      'Account-ID': target.account.id,
      'Authorizing-ID': target.id,
      'Authorizing-Type': target.kind,
      'Inherit-Codec': 'false',
      'Retain-CID': opts.cidNumber !== undefined ? 'true' : 'false',
    },
    'Dial-Endpoint-Method': 'simultaneous',
    Endpoints: target.devices.map((d) => endpoint(d, target, number, autoAnswer, callId())),
    ...(opts.targetCallId !== undefined ? { 'Existing-Call-ID': opts.targetCallId } : {}),
    'Export-Custom-Channel-Vars': [...EXPORTED_CCVS],
    'Ignore-Early-Media': opts.ignoreEarlyMedia,
    Media: opts.media,
    ...(shown?.name !== undefined ? { 'Outbound-Callee-ID-Name': shown.name } : {}),
    ...(shown?.number !== undefined ? { 'Outbound-Callee-ID-Number': shown.number } : {}),
    'Outbound-Caller-ID-Name': opts.cidName ?? (target.kind === 'device' ? 'Device QuickCall' : 'User QuickCall'),
    'Outbound-Caller-ID-Number': opts.cidNumber ?? number,
    Timeout: opts.timeout,
  };
}
