import type { Bus, Consumer } from '@legwork/bus';
import { type Logger, silentLogger } from '@legwork/common';
import {
  EXCHANGES, PUSH_REQUEST_ROUTING_KEY, SHARED_PUSH_QUEUE, buildMessage, envelope, nodePushQueue, nodePushRoutingKey, pushRequest, pushResponse, routeFor,
  type PushRequest, type PushResponse,
} from '@legwork/contracts';
import type { PushWake } from './push-wake';
import type { DevicePush, PushResult } from './push.types';

export interface PushRequestsOptions {
  bus: Bus;
  wake: PushWake;
  nodeId: string;
  appName: string;
  appVersion: string;
  logger?: Logger;
}

/** The leg cause a cancel-call reason ends a held leg with; the device's cancel push says the reason back (cancelPushReason). */
export const CANCEL_CAUSES = { answered_elsewhere: 'LOSE_RACE', cancelled: 'ORIGINATOR_CANCEL' } as const;

type Reply = Pick<PushResponse, 'Result' | 'Held-Leg' | 'Push-Status' | 'Push-Error'>;

const replyOf = (sent: PushResult, held: boolean): Reply => ({
  Result: sent.ok ? 'sent' : 'failed', 'Held-Leg': held,
  ...(sent.status !== undefined ? { 'Push-Status': sent.status } : {}), ...(!sent.ok ? { 'Push-Error': sent.error } : {}),
});

const sameDevice = (held: DevicePush, req: PushRequest): boolean => held.provider.toLowerCase() === req['Push-Provider'].toLowerCase() && held.prid === req['Push-PRID'];

/**
 * push_req off the bus (the shared queue, and this node's own for the legs it holds): a Call-ID this node holds for the
 * device is acted on (call/update pushed on the leg's events, cancel cancels the leg, which pushes the cancel); any
 * other Call-ID is pushed as given, for a SIP proxy that is not Legwork. Each request is answered with push_resp.
 */
export class PushRequests {
  private readonly logger: Logger;
  private consumers: Consumer[] = [];

  constructor(private readonly opts: PushRequestsOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    const { bus, nodeId } = this.opts;
    // a push is answered within seconds or not at all: neither queue outlives its consumers
    const shared = await bus.declareQueue(SHARED_PUSH_QUEUE, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: PUSH_REQUEST_ROUTING_KEY }] });
    const own = await bus.declareQueue(nodePushQueue(nodeId), { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: nodePushRoutingKey(nodeId) }] });
    for (const queue of [shared, own]) this.consumers.push(await bus.consume(queue, pushRequest.schema, (msg) => this.handle(msg)));
  }

  async stop(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((c) => c.cancel()));
  }

  private async handle(req: PushRequest): Promise<void> {
    const reply = await this.act(req);
    this.logger.info({ callId: req['Call-ID'], kind: req['Push-Kind'], provider: req['Push-Provider'], held: reply['Held-Leg'], result: reply.Result }, 'push request');
    await this.reply(req, reply);
  }

  private async act(req: PushRequest): Promise<Reply> {
    const { wake } = this.opts;
    const callId = req['Call-ID'];
    const held = wake.heldLeg(callId);
    const ours = held !== undefined && held.leg.init.accountId === req['Account-ID'] && held.leg.init.endpointId === req['Device-ID'] && sameDevice(held.push, req);
    if (ours && req['Push-Kind'] === 'cancel') {
      // the leg's own cancel path sends the cancel push and reports it on the leg (PUSH_SENT or PUSH_FAILED)
      held.leg.cancel(CANCEL_CAUSES[req['Push-Reason'] ?? 'cancelled']);
      return { Result: 'sent', 'Held-Leg': true };
    }
    if (ours) return replyOf(await wake.pushFor(held.leg, held.push, req['Push-Kind'], req['Caller-ID-Name']), true);
    const sent = await wake.send({
      provider: req['Push-Provider'], prid: req['Push-PRID'], ...(req['Push-Param'] !== undefined ? { param: req['Push-Param'] } : {}),
      kind: req['Push-Kind'], callId, ...(req['Caller-ID-Name'] !== undefined ? { callerName: req['Caller-ID-Name'] } : {}),
      ...(req['Push-Reason'] !== undefined ? { reason: req['Push-Reason'] } : {}),
    });
    return replyOf(sent, false);
  }

  private async reply(req: PushRequest, reply: Reply): Promise<void> {
    const serverId = req['Server-ID'];
    if (serverId === undefined || serverId === '') return;
    const { bus, appName, appVersion, nodeId } = this.opts;
    try {
      const msg = buildMessage(pushResponse, { 'Msg-ID': req['Msg-ID'], 'Call-ID': req['Call-ID'], ...reply }, envelope(appName, appVersion, nodeId));
      const { exchange, routingKey } = routeFor(pushResponse, msg, serverId);
      await bus.publish(exchange, routingKey, msg, { mandatory: false });
    } catch (err) {
      this.logger.warn({ err, callId: req['Call-ID'], serverId }, 'push_resp not published');
    }
  }
}
