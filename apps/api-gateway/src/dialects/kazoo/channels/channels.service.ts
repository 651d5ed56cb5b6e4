import { Inject, Injectable } from '@nestjs/common';
import type { Bus } from '@legwork/bus';
import type { CallRecord, CallStore } from '@legwork/call-state';
import { buildMessage, callCommand, envelope, routeFor } from '@legwork/contracts';
import { owns, type Scope } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, BUS, CALL_STORE } from '../../../core/infra.tokens';
import { KazooError } from '../core/kazoo.contract';
import { callOwnership } from '../core/kazoo-ownership';
import { APP_NAME, APP_VERSION } from '../quickcall/quickcall.service';
import { channelView } from './channel.view';

/** The node's control queue on `callctl`, as the media node's engine names it. */
export const controlQueueOf = (nodeId: string): string => `callctl.${nodeId}`;

/** Live calls of an account (Redis call state) and commands sent to the node that owns one. */
@Injectable()
export class ChannelsService {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(CALL_STORE) private readonly calls: CallStore,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async list(accountId: string, scope: Scope): Promise<Array<Record<string, unknown>>> {
    const calls = await this.calls.calls.listByAccount(accountId);
    return calls.filter((c) => owns(scope, callOwnership(c))).sort((a, b) => a.createdAt - b.createdAt).map(channelView);
  }

  async get(accountId: string, callId: string): Promise<Record<string, unknown>> {
    return channelView(await this.live(accountId, callId));
  }

  /** Publishes `hangup` to the owning node's control queue; the leg ends asynchronously. */
  async hangup(accountId: string, callId: string): Promise<Record<string, unknown>> {
    const call = await this.live(accountId, callId);
    const cmd = buildMessage(callCommand, { 'Application-Name': 'hangup', 'Call-ID': call.callId, 'Account-ID': accountId }, envelope(APP_NAME, APP_VERSION, this.config.NODE_ID));
    const { exchange, routingKey } = routeFor(callCommand, cmd, controlQueueOf(call.nodeId));
    // a node that vanished has no queue bound: the sweeper ends its calls, so the command is not refused
    await this.bus.publish(exchange, routingKey, cmd, { mandatory: false });
    return { action: 'hangup', call_id: call.callId, media_node: call.nodeId };
  }

  /** Only live legs of this account exist here; ended or foreign ones are unknown ids. */
  private async live(accountId: string, callId: string): Promise<CallRecord> {
    const call = await this.calls.calls.get(callId);
    if (call === null || call.accountId !== accountId || call.state === 'ended') throw KazooError.badIdentifier(callId);
    return call;
  }
}
