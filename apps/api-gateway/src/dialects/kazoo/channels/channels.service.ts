import { Inject, Injectable } from '@nestjs/common';
import type { Directory, Scope } from '@legwork/directory';
import { ORIGINATION_CLIENT, type CallView, type CommandOutcome, type LiveCallFilter, type OriginationClient } from '@legwork/originate-client';
import type { CallCommandName } from '@legwork/contracts';
import { DIRECTORY } from '../../../core/infra.tokens';
import { KazooError } from '../core/kazoo.contract';
import type { ChannelAction, ChannelActionBody } from './channel-action.contract';
import { channelView } from './channel.view';

/** What a plain user sees: legs placed for its devices or owned by it; admins see all. */
function filterOf(scope: Scope): LiveCallFilter | undefined {
  return scope.all ? undefined : { ownerId: scope.userId, endpointIds: scope.deviceIds };
}

/** The call_command each channel action is; Kazoo's transfer is blind (the channel leaves, its other leg goes to target); intercept rings the target for the channel's other leg. */
const COMMAND_OF: Record<Exclude<ChannelAction, 'record'>, CallCommandName> = { hangup: 'hangup', hold: 'hold', unhold: 'unhold', transfer: 'blind_transfer', intercept: 'retrieve' };

/** A channel action's call_command: a record names its own start or stop. */
const commandOf = (body: ChannelActionBody): CallCommandName => (body.action === 'record' ? (body.record_action === 'stop' ? 'record_stop' : 'record_start') : COMMAND_OF[body.action]);

/** A refused action in Kazoo's terms; `no_such_call` is the unknown id it has become. */
function refused(callId: string, action: ChannelAction, outcome: CommandOutcome): KazooError {
  const message = outcome.message ?? outcome.result;
  switch (outcome.result) {
    case 'no_such_call':
      return KazooError.badIdentifier(callId);
    case 'invalid_state':
      return new KazooError(409, 'conflicting state', { action: { invalid_state: { message, ...(outcome.callState !== undefined ? { value: outcome.callState } : {}) } } });
    case 'not_supported':
      return new KazooError(400, 'invalid data', { action: { not_supported: { message, value: action } } });
    default:
      return new KazooError(500, `${action} failed`, { message });
  }
}

/** Live calls of an account and commands for them, through the shared origination client. */
@Injectable()
export class ChannelsService {
  constructor(
    @Inject(ORIGINATION_CLIENT) private readonly client: OriginationClient,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async list(accountId: string, scope: Scope): Promise<Array<Record<string, unknown>>> {
    return (await this.client.liveCalls(accountId, filterOf(scope))).map(channelView);
  }

  async get(accountId: string, callId: string): Promise<Record<string, unknown>> {
    return channelView(await this.live(accountId, callId));
  }

  /** The action as a `call_command` to the owning node; 202 once the node says it was done, with the state it left. */
  async act(accountId: string, callId: string, body: ChannelActionBody): Promise<Record<string, unknown>> {
    const call = await this.live(accountId, callId);
    const args = body.action === 'transfer' && body.target !== undefined ? { 'Transfer-To': body.target.trim() } : body.action === 'intercept' ? { 'Transfer-To': await this.interceptRoute(accountId, body) } : {};
    const outcome = await this.client.command(call.callId, commandOf(body), { args });
    if (outcome.result !== 'ok') throw refused(callId, body.action, outcome);
    return {
      action: body.action, call_id: call.callId, media_node: outcome.nodeId ?? call.nodeId,
      // a hangup's Call-State is the one the call was in: only the other actions leave a state worth showing
      ...(body.action !== 'hangup' && outcome.callState !== undefined ? { state: outcome.callState } : {}),
      ...(args['Transfer-To'] !== undefined ? { target: args['Transfer-To'] } : {}),
      ...(body.record_action !== undefined ? { record_action: body.record_action, ...(typeof outcome.data?.['Media-Recording-ID'] === 'string' ? { recording_id: outcome.data['Media-Recording-ID'] } : {}) } : {}),
    };
  }

  /** intercept: the target device's SIP name or the target user's username (all its devices), in the account; anything else names target_id. */
  private async interceptRoute(accountId: string, body: ChannelActionBody): Promise<string> {
    const id = body.target_id ?? '';
    const bad = (message: string): KazooError => new KazooError(400, 'invalid data', { 'data.target_id': { invalid: { message, value: id } } });
    if (body.target_type === 'device') {
      const device = await this.directory.devices.find(accountId, id);
      if (device === null || !device.enabled) throw bad('no enabled device of this account has this id');
      return device.sip.username;
    }
    const user = await this.directory.users.find(accountId, id);
    if (user === null || !user.enabled || user.username === undefined) throw bad('no enabled user of this account with a username has this id');
    return user.username;
  }

  /** Only live legs of this account exist here; ended or foreign ones are unknown ids. */
  private async live(accountId: string, callId: string): Promise<CallView> {
    const call = await this.client.call(callId);
    if (call === undefined || call.accountId !== accountId || call.state === 'ended') throw KazooError.badIdentifier(callId);
    return call;
  }
}
