import { randomUUID } from 'node:crypto';
import { LegworkError } from '@legwork/common';
import type { CallCommandName } from '@legwork/contracts';
import type { Caller, Directory } from '@legwork/directory';
import type { CallView, CommandOutcome, OriginateRequestBody, OriginateSpec, OriginationClient } from '@legwork/originate-client';
import type { ImrnAllocator } from '../../../core/imrn-allocator';
import { NetaxisError } from '../core/netaxis-error';
import { ACTION_COMMANDS, actionOutcome } from './call-action.outcome';
import { authorizeFor, resolveTarget, type CallTarget, type TargetPath } from './call-target';
import { callIdOf, parseCallAction, parseCallRequest, parseImrnRequest, parseIncludeDetails } from './call.request';
import { CAV, callDetails, type CallContext } from './call.view';
import { clickToDialCallId } from './click-to-dial.outcome';
import { numbersOf, resolvePhoneNumber } from './phone-number.resolver';

export interface CallsDeps {
  directory: Directory;
  client: OriginationClient;
  /** The one place a spec becomes an originate_req body (the origination client's builder). */
  buildRequest: (spec: OriginateSpec) => OriginateRequestBody;
  ringTimeoutS: number;
  media: 'bypass' | 'process';
  /** The account's IMRN pool. */
  imrns: ImrnAllocator;
}

/** Suffix of every click-to-dial leg's call id: events and CDRs show the call came through the call service. */
export const NETAXIS_CALL_ID_SUFFIX = '-netaxis';

/** A leg rung to a phone: B-legs carry their A-leg's device for ownership, but their far end is the remote party. */
const isPhoneLeg = (call: CallView): boolean => call.leg !== 'b';

/** The Netaxis call service: validate, resolve the user in its tenant and group, then originate or command. */
export class CallsService {
  constructor(private readonly deps: CallsDeps) {}

  /** Click-to-dial: the user's phones ring first; the one that answers is connected to phoneNumber. */
  async create(caller: Caller, path: TargetPath, body: unknown): Promise<{ callId: string; externalTrackingId: string }> {
    const { phoneNumber } = parseCallRequest(body);
    const target = await resolveTarget(this.deps.directory, caller, path);
    await authorizeFor(this.deps.directory, target, 'originate.user');
    if (target.devices.length === 0) throw NetaxisError.forbidden(`user ${target.user.id} has no enabled phone to ring`);
    const remote = await resolvePhoneNumber(this.deps.directory, target.account, phoneNumber, 'phoneNumber');
    const externalTrackingId = randomUUID();
    const appearance = (await this.userCalls(target)).length + 1;
    const spec: OriginateSpec = {
      accountId: target.account.id,
      authorizing: { id: target.user.id, type: 'user' },
      ownerId: target.user.id,
      sources: target.devices,
      dialMethod: 'simultaneous',
      destination: remote.route,
      // the user's phone shows whom it is about to call
      callerIdToSource: { number: remote.address },
      callerIds: [target.user.caller_id],
      timeoutS: this.deps.ringTimeoutS,
      media: this.deps.media,
      callIdSuffix: NETAXIS_CALL_ID_SUFFIX,
      customApplicationVars: {
        [CAV.trackingId]: externalTrackingId, [CAV.personality]: 'Click-to-Dial', [CAV.remoteParty]: remote.address, [CAV.callType]: remote.callType, [CAV.appearance]: appearance,
      },
    };
    const outcome = await this.deps.client.originate(this.deps.buildRequest(spec), { await: 'started' });
    return { callId: clickToDialCallId(outcome), externalTrackingId };
  }

  async list(caller: Caller, path: TargetPath, query: Record<string, unknown>, body: unknown): Promise<{ calls: Array<Record<string, unknown>> }> {
    const details = parseIncludeDetails(query, body);
    const target = await resolveTarget(this.deps.directory, caller, path);
    await authorizeFor(this.deps.directory, target, 'call.list');
    const calls = await this.userCalls(target);
    if (!details) return { calls: calls.map((c) => ({ callId: c.callId, inConference: false })) };
    return { calls: await Promise.all(calls.map(async (c, i) => callDetails(c, await this.context(target, path, c, i + 1), { list: true }))) };
  }

  async get(caller: Caller, path: TargetPath, callId: string | undefined): Promise<Record<string, unknown>> {
    const { target, call } = await this.find(caller, path, callId, 'call.read');
    const rank = (await this.userCalls(target)).findIndex((c) => c.callId === call.callId) + 1;
    return callDetails(call, await this.context(target, path, call, Math.max(1, rank)), { list: false });
  }

  async modify(caller: Caller, path: TargetPath, callId: string | undefined, body: unknown): Promise<Record<string, never>> {
    const action = parseCallAction(body);
    const { target, call } = await this.find(caller, path, callId, 'call.hangup');
    if (call.state === 'ended') throw NetaxisError.callOperation('callState', 'the call is released');
    const command = ACTION_COMMANDS[action.action];
    // hold and reconnect act on the remote party (it hears the music), a transfer on the user's own half
    const onRemote = action.action === 'hold' || action.action === 'reconnect';
    if (onRemote && call.peerCallId === undefined) throw NetaxisError.callOperation('callState', `the call is ${String(call.state)}: there is no remote party connected yet`);
    let args: Record<string, unknown> = {};
    if (action.action === 'blindTransfer') args = { 'Transfer-To': (await resolvePhoneNumber(this.deps.directory, target.account, action.phoneNumber, 'phoneNumber')).route };
    if (action.action === 'consultativeTransfer') {
      const other = await this.userCall(target, action.transferCallId);
      if (other === undefined || other.state === 'ended') throw NetaxisError.notFound('transfer call', 'transferCallId');
      if (other.callId === call.callId) throw NetaxisError.callOperation('callState', 'a call cannot be transferred to itself');
      args = { 'Target-Call-ID': other.callId };
    }
    actionOutcome(action.action, await this.command(onRemote ? String(call.peerCallId) : call.callId, command, args));
    return {};
  }

  async release(caller: Caller, path: TargetPath, callId: string | undefined): Promise<Record<string, never>> {
    const { call } = await this.find(caller, path, callId, 'call.hangup');
    if (call.state === 'ended') throw NetaxisError.notFound('call', 'callId');
    const outcome = await this.command(call.callId, 'hangup', {});
    if (outcome.result === 'no_such_call') throw NetaxisError.notFound('call', 'callId');
    if (outcome.result !== 'ok') throw new NetaxisError(502, 'CALL_FAILED', `the call could not be released: ${outcome.message ?? outcome.result}`);
    return {};
  }

  /** Call Retrieve: the user's other phones ring; the one that answers takes the user's newest answered call. */
  async retrieve(caller: Caller, path: TargetPath): Promise<{ callId: string; externalTrackingId: string }> {
    const target = await resolveTarget(this.deps.directory, caller, path);
    await authorizeFor(this.deps.directory, target, 'call.hangup');
    const call = (await this.userCalls(target)).reverse().find((c) => c.answered === true && c.state !== 'ended');
    if (call === undefined) throw new NetaxisError(404, 'NOT_FOUND', 'no call to retrieve.');
    const username = target.user.username;
    if (username === undefined) throw new NetaxisError(400, 'INVALID_CALL_STATE', 'invalid call state', { detail: `user ${target.user.id} has no username its phones are reached by` });
    // the media node rings the user's devices other than the one on the call
    const outcome = await this.command(call.callId, 'retrieve', { 'Transfer-To': username });
    if (outcome.result !== 'ok') throw new NetaxisError(400, 'INVALID_CALL_STATE', 'invalid call state', { detail: outcome.message ?? `retrieve: ${outcome.result}` });
    return { callId: call.callId, externalTrackingId: String(call.customApplicationVars?.[CAV.trackingId] ?? call.callId) };
  }

  /** Reserves an IMRN of the tenant's pool: an inbound call to it within the TTL is connected to phoneNumber as callingPhoneNumber. */
  async imrn(caller: Caller, path: TargetPath, body: unknown): Promise<{ imrn: string }> {
    const request = parseImrnRequest(body);
    const target = await resolveTarget(this.deps.directory, caller, path);
    await authorizeFor(this.deps.directory, target, 'originate.user');
    const calling = request.callingPhoneNumber;
    const owned = numbersOf(target.user, target.account);
    const e164 = (await resolvePhoneNumber(this.deps.directory, target.account, calling, 'callingPhoneNumber').catch(() => undefined))?.address;
    if (!owned.has(calling) && (e164 === undefined || !owned.has(e164))) throw NetaxisError.notFound('callingPhoneNumber', 'callingPhoneNumber');
    const called = await resolvePhoneNumber(this.deps.directory, target.account, request.phoneNumber, 'phoneNumber');
    const imrn = await this.deps.imrns.allocate(target.account, { userId: target.user.id, phoneNumber: called.route, callingPhoneNumber: e164 ?? calling });
    if (imrn === null) throw NetaxisError.callOperation('imrnFailed', (target.account.imrn_ranges ?? []).length === 0 ? 'the tenant has no IMRN ranges' : 'every IMRN of the tenant is reserved');
    return { imrn };
  }

  /** The user's live legs (its halves of calls: the legs of its phones), oldest first. */
  private async userCalls(target: CallTarget): Promise<CallView[]> {
    const deviceIds = target.devices.map((d) => d.id);
    return deviceIds.length === 0 ? [] : (await this.deps.client.liveCalls(target.account.id, { endpointIds: deviceIds })).filter(isPhoneLeg);
  }

  /** One of the user's legs, live or released (while call-state keeps it); undefined for anyone else's. */
  private async userCall(target: CallTarget, callId: string): Promise<CallView | undefined> {
    const call = await this.deps.client.call(callId);
    if (call === undefined || call.accountId !== target.account.id) return undefined;
    return isPhoneLeg(call) && target.devices.some((d) => d.id === call.endpointId) ? call : undefined;
  }

  private async find(caller: Caller, path: TargetPath, callId: string | undefined, operation: 'call.read' | 'call.hangup'): Promise<{ target: CallTarget; call: CallView }> {
    const target = await resolveTarget(this.deps.directory, caller, path);
    await authorizeFor(this.deps.directory, target, operation);
    const id = callIdOf(callId);
    const call = id === undefined ? undefined : await this.userCall(target, id);
    if (call === undefined) throw NetaxisError.notFound('call', 'callId');
    return { target, call };
  }

  private async command(callId: string, name: CallCommandName, args: Record<string, unknown>): Promise<CommandOutcome> {
    try {
      return await this.deps.client.command(callId, name, { args });
    } catch (err) {
      if (err instanceof LegworkError && err.code === 'command_timeout') throw new NetaxisError(504, 'TIMEOUT', 'the media server did not answer in time');
      throw err;
    }
  }

  private async context(target: CallTarget, path: TargetPath, call: CallView, rank: number): Promise<CallContext> {
    const device = target.devices.find((d) => d.id === call.endpointId);
    const aor = device === undefined ? '' : `${device.sip.username}@${device.sip.realm ?? target.account.realm}`;
    const base = `/api/v1/tenants/${target.account.id}/groups/${target.group.id}/users/${encodeURIComponent(path.userId ?? target.user.id)}/services/calls`;
    const peer = call.peerCallId === undefined ? undefined : await this.deps.client.call(call.peerCallId);
    return { addressOfRecord: aor, rank, uri: `${base}/${encodeURIComponent(call.callId)}/`, ...(peer !== undefined && peer.accountId === call.accountId ? { peer } : {}) };
  }
}
