import type { Bus } from '@legwork/bus';
import { type Logger } from '@legwork/common';
import {
  envelope, originateError, originateErrorCode, originateReady, originateResponse, originateStarted, originateUuid, routeFor, stampMessage,
  type AnyMessageDefinition, type EnvelopeDefaults, type MessageBody, type OriginateRequest,
} from '@legwork/contracts';

export interface RepliesOptions {
  bus: Bus;
  appName: string;
  appVersion: string;
  nodeId: string;
  controlQueue: string;
  logger: Logger;
}

/** Replies to the requester's Server-ID (targeted exchange); a request without one gets none. */
export class OriginateReplies {
  /** True once the final reply (originate_resp or error) went out: a fault afterwards sends no second one. */
  finished = false;
  private uuidSent = false;
  private startedSent = false;
  private serverId: string | undefined;

  constructor(
    private readonly opts: RepliesOptions,
    private readonly req: OriginateRequest,
  ) {
    this.serverId = req['Server-ID'];
  }

  /** Sent once, as soon as the call id is known. */
  uuid(callId: string): Promise<void> {
    if (this.uuidSent) return Promise.resolve();
    this.uuidSent = true;
    return this.send(originateUuid, { 'Outbound-Call-ID': callId, 'Outbound-Call-Control-Queue': this.opts.controlQueue });
  }

  /** Sent once, when the first leg's INVITE is out: a requester awaiting `started` answers now, not on answer. */
  started(callId: string): Promise<void> {
    if (this.startedSent || this.finished) return Promise.resolve();
    this.startedSent = true;
    const req = this.req;
    return this.send(originateStarted, {
      'Call-ID': callId,
      'Control-Queue': this.opts.controlQueue,
      'Media-Server': this.opts.nodeId,
      ...(req['Outbound-Call-ID'] !== undefined ? { 'Outbound-Call-ID': req['Outbound-Call-ID'] } : {}),
      ...(req['Custom-Channel-Vars'] !== undefined ? { 'Custom-Channel-Vars': req['Custom-Channel-Vars'] } : {}),
      ...(req['Custom-Application-Vars'] !== undefined ? { 'Custom-Application-Vars': req['Custom-Application-Vars'] } : {}),
    });
  }

  /** The park handshake: the call is ready, and originate_execute must go to `executeQueue` (this message's Server-ID). */
  ready(callId: string, executeQueue: string): Promise<void> {
    return this.send(originateReady, { 'Call-ID': callId, 'Control-Queue': this.opts.controlQueue, ...(this.req['Outbound-Call-ID'] !== undefined ? { 'Outbound-Call-ID': this.req['Outbound-Call-ID'] } : {}) }, { 'Server-ID': executeQueue });
  }

  /** originate_execute named its own Server-ID: every later reply goes there (ecallmgr's handle_originate_execute). */
  retarget(serverId: string): void {
    this.serverId = serverId;
  }

  success(callId: string, otherLegCallId?: string): Promise<void> {
    const req = this.req;
    this.finished = true;
    return this.send(originateResponse, {
      'Call-ID': callId,
      'Application-Name': req['Application-Name'],
      'Application-Response': 'SUCCESS',
      'Channel-Call-State': 'ACTIVE',
      'Control-Queue': this.opts.controlQueue,
      'Media-Server': this.opts.nodeId,
      ...(otherLegCallId !== undefined ? { 'Other-Leg-Call-ID': otherLegCallId } : {}),
      ...(req['Outbound-Call-ID'] !== undefined ? { 'Outbound-Call-ID': req['Outbound-Call-ID'] } : {}),
      ...(req['Custom-Channel-Vars'] !== undefined ? { 'Custom-Channel-Vars': req['Custom-Channel-Vars'] } : {}),
      ...(req['Custom-Application-Vars'] !== undefined ? { 'Custom-Application-Vars': req['Custom-Application-Vars'] } : {}),
    });
  }

  /**
   * The final error reply: `errorMessage` is the cause Kazoo clients match (NO_ANSWER, channel_limit_reached), `detail`
   * says why in words; `callId` (the leg's uuid once one exists) goes in Call-ID, as ecallmgr's does.
   */
  error(errorMessage: string, detail?: string, callId?: string): Promise<void> {
    this.finished = true;
    return this.send(originateError, {
      'Error-Message': errorMessage,
      'Error-Code': originateErrorCode(errorMessage),
      ...(detail !== undefined && detail !== errorMessage ? { 'Error-Detail': detail } : {}),
      Request: { ...this.req },
      ...(callId !== undefined ? { 'Call-ID': callId, 'Outbound-Call-ID': callId } : {}),
    });
  }

  private async send(def: AnyMessageDefinition, body: Record<string, unknown>, headers: Partial<EnvelopeDefaults> = {}): Promise<void> {
    const serverId = this.serverId;
    if (serverId === undefined || serverId === '') return;
    try {
      // the requester matches replies on its request's Msg-ID
      // built from the parsed request and the engine's own values: the envelope is checked, the requester parses the rest
      const msg = stampMessage(def, { ...body, 'Msg-ID': this.req['Msg-ID'] } as MessageBody<typeof def>, { ...envelope(this.opts.appName, this.opts.appVersion, this.opts.nodeId), ...headers });
      const { exchange, routingKey } = routeFor(def, msg, serverId);
      await this.opts.bus.publish(exchange, routingKey, msg, { mandatory: false });
    } catch (err) {
      this.opts.logger.warn({ err, reply: def.name, serverId }, 'originate reply not published');
    }
  }
}
