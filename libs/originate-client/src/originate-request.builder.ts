import { newId } from '@legwork/common';
import { displayNameProblem, groupIdOfRoute, sipUserProblem } from '@legwork/contracts';
import { endpointCallerId, type Device } from '@legwork/directory';
import { OriginationClientError } from './origination-client.errors';
import type { OriginateRequestBody } from './origination-client';
import type { OriginateSpec, ShownCallerId } from './originate-spec';

type Wire = Record<string, unknown>;

/** Channel vars every leg exports to the legs it creates, as crossbar's quickcall asks. */
export const EXPORTED_CCVS = ['Account-ID', 'Retain-CID', 'Authorizing-ID', 'Authorizing-Type', 'Outbound-Callee-ID-Name', 'Outbound-Callee-ID-Number'];

export interface BuildOriginateOptions {
  /** Makes each leg's Outbound-Call-ID; default a fresh id plus the spec's callIdSuffix. */
  callId?: () => string;
}

const invalid = (field: string, why: string, value: unknown): OriginationClientError =>
  new OriginationClientError('invalid_spec', `${field} ${why}`, { field, value });

function checkUser(field: string, value: string | undefined): void {
  const why = value === undefined ? undefined : sipUserProblem(value);
  if (why !== undefined) throw invalid(field, `cannot be dialled: ${why}`, value);
}

function checkShown(field: string, shown: ShownCallerId | undefined): void {
  const why = shown?.name === undefined ? undefined : displayNameProblem(shown.name);
  if (why !== undefined) throw invalid(`${field}.name`, why, shown?.name);
  checkUser(`${field}.number`, shown?.number);
}

function legVars(spec: OriginateSpec, ownerId: string | undefined, autoAnswer: boolean | undefined): Wire {
  return {
    'Account-ID': spec.accountId,
    'Authorizing-ID': spec.authorizing.id,
    'Authorizing-Type': spec.authorizing.type,
    ...(ownerId !== undefined ? { 'Owner-ID': ownerId } : {}),
    ...(autoAnswer !== undefined ? { 'Auto-Answer': autoAnswer } : {}),
    'Media-Encryption-Enforce-Security': false,
  };
}

function deviceEndpoint(spec: OriginateSpec, device: Device, autoAnswer: boolean | undefined, callId: string): Wire {
  const { username, realm, invite_format: inviteFormat, route } = device.sip;
  return {
    'Invite-Format': inviteFormat,
    'To-User': username,
    'To-Username': username,
    'To-Realm': realm,
    // Kazoo's quickcall names the dialled number here; a group route is no number
    ...(groupIdOfRoute(spec.destination) === undefined ? { 'To-DID': spec.destination } : {}),
    ...(inviteFormat === 'route' && route !== undefined ? { Route: route } : {}),
    'Endpoint-ID': device.id,
    Codecs: device.media?.audio.codecs ?? ['PCMU', 'PCMA'],
    'Presence-ID': spec.presenceId ?? `${username}@${realm}`,
    'Outbound-Call-ID': callId,
    ...(spec.aorHeader !== undefined ? { 'Custom-SIP-Headers': { [spec.aorHeader]: `sip:${username}@${realm}` } } : {}),
    'Custom-Channel-Vars': { ...legVars(spec, device.owner_id ?? spec.ownerId, autoAnswer), 'SIP-Invite-Domain': realm },
  };
}

/** A public number rung as a source: routed as the account routes calls (Kazoo's loopback endpoint). */
function numberEndpoint(spec: OriginateSpec, number: string, callId: string): Wire {
  return { 'Invite-Format': 'loopback', 'To-DID': number, 'Outbound-Call-ID': callId, 'Custom-Channel-Vars': legVars(spec, spec.ownerId, undefined) };
}

function channelVars(spec: OriginateSpec): Wire {
  const own: Wire = {
    'Account-ID': spec.accountId,
    'Authorizing-ID': spec.authorizing.id,
    'Authorizing-Type': spec.authorizing.type,
    'Inherit-Codec': 'false',
    'Retain-CID': spec.retainCallerId === true ? 'true' : 'false',
  };
  // the platform's own vars win: a dialect's extras never re-point the account or the authorizer
  const extras = Object.entries(spec.customChannelVars ?? {}).filter(([key]) => !(key in own));
  return { ...own, ...Object.fromEntries(extras) };
}

/**
 * The originate_req body (no envelope) for a click-to-call: ring the spec's sources showing
 * callerIdToSource, then transfer the answered leg to the destination, showing it callerIdToDestination
 * or, without one, the sources' own caller id (external for public numbers, internal otherwise).
 * Throws `invalid_spec` naming the field when a value cannot reach SIP.
 */
export function buildOriginateRequest(spec: OriginateSpec, opts: BuildOriginateOptions = {}): OriginateRequestBody {
  // a group route names a group id, never reaching SIP; anything else is dialled as a SIP user
  if (groupIdOfRoute(spec.destination) === undefined) checkUser('destination', spec.destination);
  checkShown('callerIdToSource', spec.callerIdToSource);
  checkShown('callerIdToDestination', spec.callerIdToDestination);
  const numbers = spec.sourceNumbers ?? [];
  numbers.forEach((n, i) => checkUser(`sourceNumbers[${i}]`, n));
  const callId = opts.callId ?? ((): string => `${newId()}${spec.callIdSuffix}`);
  // auto-answer only when a single phone rings: several phones answering at once would race
  const autoAnswer = spec.sources.length + numbers.length === 1 ? spec.autoAnswer : undefined;
  const shown = spec.callerIdToDestination ?? endpointCallerId(spec.callerIds ?? [], spec.destination);
  const cavs = spec.customApplicationVars ?? {};
  return {
    'Account-ID': spec.accountId,
    'Application-Name': 'transfer',
    'Application-Data': { Route: spec.destination },
    'Continue-On-Fail': false,
    ...(Object.keys(cavs).length > 0 ? { 'Custom-Application-Vars': { ...cavs } } : {}),
    'Custom-Channel-Vars': channelVars(spec),
    'Dial-Endpoint-Method': spec.dialMethod ?? 'simultaneous',
    Endpoints: [...spec.sources.map((d) => deviceEndpoint(spec, d, autoAnswer, callId())), ...numbers.map((n) => numberEndpoint(spec, n, callId()))],
    ...(spec.existingCallId !== undefined ? { 'Existing-Call-ID': spec.existingCallId } : {}),
    // a dialect's extra vars reach the destination's leg too: every event of the call carries them
    'Export-Custom-Channel-Vars': [...new Set([...EXPORTED_CCVS, ...Object.keys(spec.customChannelVars ?? {})])],
    'Ignore-Early-Media': spec.ignoreEarlyMedia ?? true,
    Media: spec.media,
    ...(spec.video === false ? { 'Media-Video': false } : {}),
    ...(shown?.name !== undefined ? { 'Outbound-Callee-ID-Name': shown.name } : {}),
    ...(shown?.number !== undefined ? { 'Outbound-Callee-ID-Number': shown.number } : {}),
    // the media node shows the destination Caller-ID-* before the answered device's own id (a number source has none)
    ...(spec.callerIdToDestination?.name !== undefined ? { 'Caller-ID-Name': spec.callerIdToDestination.name } : {}),
    ...(spec.callerIdToDestination?.number !== undefined ? { 'Caller-ID-Number': spec.callerIdToDestination.number } : {}),
    ...(spec.callerIdToSource.name !== undefined ? { 'Outbound-Caller-ID-Name': spec.callerIdToSource.name } : {}),
    ...(spec.callerIdToSource.number !== undefined ? { 'Outbound-Caller-ID-Number': spec.callerIdToSource.number } : {}),
    Timeout: spec.timeoutS,
    ...(spec.maxDurationS !== undefined ? { 'Max-Call-Duration': spec.maxDurationS } : {}),
  };
}
