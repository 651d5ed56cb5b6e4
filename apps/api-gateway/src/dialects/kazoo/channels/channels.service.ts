import { Inject, Injectable } from '@nestjs/common';
import type { Scope } from '@legwork/directory';
import { ORIGINATION_CLIENT, type CallView, type CommandOutcome, type LiveCallFilter, type OriginationClient } from '@legwork/originate-client';
import { KazooError } from '../core/kazoo.contract';
import { channelView } from './channel.view';

/** What a plain user sees: legs placed for its devices or owned by it; admins see all. */
function filterOf(scope: Scope): LiveCallFilter | undefined {
  return scope.all ? undefined : { ownerId: scope.userId, endpointIds: scope.deviceIds };
}

/** A refused hangup in Kazoo's terms; `no_such_call` is the unknown id it has become. */
function refused(callId: string, outcome: CommandOutcome): KazooError {
  const message = outcome.message ?? outcome.result;
  switch (outcome.result) {
    case 'no_such_call':
      return KazooError.badIdentifier(callId);
    case 'invalid_state':
      return new KazooError(409, 'conflicting state', { action: { invalid_state: { message, ...(outcome.callState !== undefined ? { value: outcome.callState } : {}) } } });
    case 'not_supported':
      return new KazooError(400, 'invalid data', { action: { not_supported: { message, value: 'hangup' } } });
    default:
      return new KazooError(500, 'hangup failed', { message });
  }
}

/** Live calls of an account and commands for them, through the shared origination client. */
@Injectable()
export class ChannelsService {
  constructor(@Inject(ORIGINATION_CLIENT) private readonly client: OriginationClient) {}

  async list(accountId: string, scope: Scope): Promise<Array<Record<string, unknown>>> {
    return (await this.client.liveCalls(accountId, filterOf(scope))).map(channelView);
  }

  async get(accountId: string, callId: string): Promise<Record<string, unknown>> {
    return channelView(await this.live(accountId, callId));
  }

  /** `call_command` hangup to the owning node; 202 once the node says it ended the call. */
  async hangup(accountId: string, callId: string): Promise<Record<string, unknown>> {
    const call = await this.live(accountId, callId);
    const outcome = await this.client.command(call.callId, 'hangup');
    if (outcome.result !== 'ok') throw refused(callId, outcome);
    return { action: 'hangup', call_id: call.callId, media_node: outcome.nodeId ?? call.nodeId };
  }

  /** Only live legs of this account exist here; ended or foreign ones are unknown ids. */
  private async live(accountId: string, callId: string): Promise<CallView> {
    const call = await this.client.call(callId);
    if (call === undefined || call.accountId !== accountId || call.state === 'ended') throw KazooError.badIdentifier(callId);
    return call;
  }
}
