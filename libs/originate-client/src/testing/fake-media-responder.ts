import type { Bus, Consumer } from '@legwork/bus';
import {
  buildMessage, callCommandResult, controlQueueOf, EXCHANGES, originateError, originateResponse, originateStarted, originateUuid, routeFor,
  ROUTING_KEYS, type CallCommandResultCode,
} from '@legwork/contracts';
import { z } from 'zod';

type Msg = Record<string, unknown>;

/** How the fake answers originate requests: every reply, only up to originate_started, an error, or nothing. */
export type FakeOriginateMode = { kind: 'answer' } | { kind: 'start-only' } | { kind: 'error'; message: string } | { kind: 'silent' };

const anyMessage = z.record(z.string(), z.unknown());
const ENV = { 'App-Name': 'fake-media-node', 'App-Version': '0' };

/**
 * Stands in for a media node on the bus: takes originate_req from the shared binding and replies as the engine
 * does (originate_uuid, originate_started, originate_resp or an error) when the request has a Server-ID; answers
 * call_command on its control queue with `commandResult`.
 */
export class FakeMediaResponder {
  readonly requests: Msg[] = [];
  readonly commands: Msg[] = [];
  mode: FakeOriginateMode = { kind: 'answer' };
  /** `silent`: take the command and never answer it. */
  commandResult: CallCommandResultCode | 'silent' = 'ok';
  /** The Call-State an invalid_state answer names (a recording's `idle` for a pause with nothing recorded). */
  commandState = 'ringing';
  private readonly consumers: Consumer[] = [];

  constructor(
    private readonly bus: Bus,
    readonly nodeId: string,
  ) {}

  async start(): Promise<void> {
    const originate = await this.bus.declareQueue(`fake-originate-${this.nodeId}`, {
      durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: ROUTING_KEYS.originateReq }],
    });
    this.consumers.push(await this.bus.consume(originate, anyMessage, (req) => this.originate(req)));
    const control = await this.bus.declareQueue(controlQueueOf(this.nodeId), {
      durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: controlQueueOf(this.nodeId) }],
    });
    this.consumers.push(await this.bus.consume(control, anyMessage, (cmd) => this.command(cmd)));
  }

  async stop(): Promise<void> {
    for (const c of this.consumers.splice(0)) await c.cancel();
  }

  private async reply(serverId: string, msg: Msg): Promise<void> {
    await this.bus.publish(EXCHANGES.targeted.name, serverId, msg);
  }

  private async originate(req: Msg): Promise<void> {
    this.requests.push(req);
    const serverId = req['Server-ID'];
    if (typeof serverId !== 'string' || this.mode.kind === 'silent') return;
    const msgId = String(req['Msg-ID']);
    const callId = String((req['Endpoints'] as Msg[])[0]?.['Outbound-Call-ID'] ?? 'none');
    if (this.mode.kind === 'error') {
      await this.reply(serverId, buildMessage(originateError, { 'Msg-ID': msgId, 'Error-Message': this.mode.message, 'Error-Code': 'originate_failed' }, ENV));
      return;
    }
    await this.reply(serverId, buildMessage(originateUuid, { 'Msg-ID': msgId, 'Outbound-Call-ID': callId, 'Outbound-Call-Control-Queue': controlQueueOf(this.nodeId) }, ENV));
    await this.reply(serverId, buildMessage(originateStarted, { 'Msg-ID': msgId, 'Call-ID': callId, 'Channel-Call-State': 'RINGING' }, ENV));
    if (this.mode.kind === 'start-only') return;
    await this.reply(serverId, buildMessage(originateResponse, { 'Msg-ID': msgId, 'Call-ID': callId, 'Application-Response': 'SUCCESS', 'Media-Server': this.nodeId }, ENV));
  }

  private async command(cmd: Msg): Promise<void> {
    this.commands.push(cmd);
    const serverId = cmd['Server-ID'];
    const result = this.commandResult;
    if (typeof serverId !== 'string' || result === 'silent') return;
    const msg = buildMessage(callCommandResult, {
      'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': String(cmd['Call-ID']), 'Application-Name': cmd['Application-Name'] as 'hangup', Result: result,
      ...(result === 'invalid_state' ? { 'Result-Message': 'the call is not answered yet', 'Call-State': this.commandState } : {}),
    }, ENV);
    const { exchange, routingKey } = routeFor(callCommandResult, msg, serverId);
    await this.bus.publish(exchange, routingKey, msg);
  }
}
