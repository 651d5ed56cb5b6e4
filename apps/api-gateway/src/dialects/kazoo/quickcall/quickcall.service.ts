import { Inject, Injectable } from '@nestjs/common';
import { isBusError } from '@legwork/bus';
import { CallStateError } from '@legwork/call-state';
import {
  EXCHANGES, ROUTING_KEYS, buildMessage, envelope, originateError, originateRequest, originateResponse, type MessageBody, type OriginateError, type OriginateResponse,
} from '@legwork/contracts';
import { z } from 'zod';
import { KazooError } from '../core/kazoo.contract';
import { GatewayInfra } from './gateway-infra.provider';
import { buildQuickcallRequest, type WireObject } from './quickcall-request.builder';
import { KAZOO_QUICKCALL_CONFIG } from './quickcall.tokens';
import type { KazooQuickcallConfig } from './quickcall.config';
import { filterNumber, parseQuickcallOptions } from './quickcall.options';
import { failed, restView, type QuickcallOutcome } from './quickcall.outcome';
import { loadQuickcallTarget, type QuickcallKind, type QuickcallTarget } from './quickcall.target';

export const APP_NAME = 'api-gateway';
export const APP_VERSION = '0.1.0';
/** Error-Message when no media node consumes originate requests (the publish is unroutable). */
export const NO_MEDIA_NODE = 'MEDIA_SERVER_UNAVAILABLE';

export interface QuickcallInput {
  verb: 'GET' | 'POST';
  accountId: string;
  kind: QuickcallKind;
  endpointId: string;
  number: string;
  query: Record<string, unknown>;
  body: unknown;
  idempotencyKey?: string;
  /** `media` when the request names none (QuickcallMediaDefault). */
  defaultMedia?: 'process' | 'bypass';
}

const replySchema = z.looseObject({ 'Event-Category': z.string(), 'Event-Name': z.string() });
type Reply = z.infer<typeof replySchema>;

const isResponse = (r: Reply): boolean => r['Event-Category'] === originateResponse.category && r['Event-Name'] === originateResponse.eventName;
const isError = (r: Reply): boolean => r['Event-Category'] === originateError.category && r['Event-Name'] === originateError.eventName;

/** Quickcall: resolve the target, build one originate_req, publish it (GET) or wait for its outcome (POST). */
@Injectable()
export class QuickcallService {
  constructor(
    private readonly gw: GatewayInfra,
    @Inject(KAZOO_QUICKCALL_CONFIG) private readonly config: KazooQuickcallConfig,
  ) {}

  /** The auth guard has run the access policy (the caller owns the target, administers it, or it allows anonymous calls). */
  async quickcall(input: QuickcallInput): Promise<QuickcallOutcome> {
    const target = await loadQuickcallTarget(this.gw.infra.directory, input.accountId, input.kind, input.endpointId);
    const body = typeof input.body === 'object' && input.body !== null ? (input.body as Record<string, unknown>) : {};
    const { data, ...rest } = body;
    const opts = parseQuickcallOptions({ data, query: input.query, body: rest }, input.defaultMedia);
    const number = filterNumber(input.number, opts.numberFilter);
    const request = buildQuickcallRequest(target, number, opts);
    const run = (): Promise<QuickcallOutcome> => this.originate(input.verb, target, request, opts.timeout);
    if (input.idempotencyKey === undefined) return run();
    const ttlMs = this.config.KAZOO_IDEMPOTENCY_TTL_HOURS * 3_600_000;
    try {
      const { answer } = await this.gw.infra.calls.idempotency.remember(`kazoo-quickcall:${input.accountId}`, input.idempotencyKey, ttlMs, run);
      return answer;
    } catch (err) {
      if (err instanceof CallStateError && err.code === 'idempotency_in_progress') {
        throw new KazooError(409, 'conflict', { idempotency_key: { in_progress: { message: 'a request with this Idempotency-Key is still running' } } });
      }
      throw err;
    }
  }

  private async originate(verb: 'GET' | 'POST', target: QuickcallTarget, request: WireObject, timeoutS: number): Promise<QuickcallOutcome> {
    const defaults = envelope(APP_NAME, APP_VERSION, this.gw.config.NODE_ID);
    if (target.unavailable !== undefined) return failed(target.unavailable, { ...defaults, ...request });
    const { bus } = this.gw.infra;
    if (verb === 'GET') {
      const msg = buildMessage(originateRequest, request as MessageBody<typeof originateRequest>, defaults);
      try {
        await bus.publish(EXCHANGES.callmgr.name, ROUTING_KEYS.originateReq, msg);
      } catch (err) {
        if (isBusError(err) && err.code === 'bus_unroutable') return failed(NO_MEDIA_NODE, msg);
        throw err;
      }
      return { kind: 'initiated', data: restView(msg) };
    }
    const msg: WireObject = buildMessage(originateRequest, { ...request, 'Server-ID': bus.serverId } as MessageBody<typeof originateRequest>, defaults);
    try {
      const replies = await bus.collect<Reply>(EXCHANGES.callmgr.name, ROUTING_KEYS.originateReq, msg, {
        timeoutMs: timeoutS * 1000 + this.config.KAZOO_QUICKCALL_REPLY_MARGIN_MS,
        schema: replySchema,
        until: (all) => all.some((r) => isResponse(r) || isError(r)),
      });
      return this.outcome(msg, replies);
    } catch (err) {
      if (isBusError(err) && err.code === 'bus_timeout') return { kind: 'timeout', data: { request: restView(msg) } };
      if (isBusError(err) && err.code === 'bus_unroutable') return failed(NO_MEDIA_NODE, msg);
      throw err;
    }
  }

  private outcome(request: WireObject, replies: Reply[]): QuickcallOutcome {
    const response = replies.find(isResponse) as OriginateResponse | undefined;
    if (response !== undefined) return { kind: 'initiated', data: { ...restView(request), ...restView(response) } };
    const error = replies.find(isError) as OriginateError | undefined;
    return failed(error?.['Error-Message'] ?? 'unspecified_fault', request);
  }
}
