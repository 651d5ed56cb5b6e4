import { Inject, Injectable } from '@nestjs/common';
import { isBusError } from '@legwork/bus';
import { CallStateError } from '@legwork/call-state';
import { isDirectoryError, type TokenClaims } from '@legwork/directory';
import {
  EXCHANGES, ROUTING_KEYS, buildMessage, envelope, originateError, originateRequest, originateResponse, type MessageBody, type OriginateError, type OriginateResponse,
} from '@legwork/contracts';
import { z } from 'zod';
import { KazooError, type KazooAuth } from '../core/kazoo.contract';
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
  /** Verified caller, if the guard saw a token. */
  auth?: KazooAuth;
  /** Raw X-Auth-Token, verified here when the guard left it (the route admits anonymous quickcalls). */
  token?: string;
  idempotencyKey?: string;
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

  async quickcall(input: QuickcallInput): Promise<QuickcallOutcome> {
    const target = await this.authorizedTarget(input);
    const body = typeof input.body === 'object' && input.body !== null ? (input.body as Record<string, unknown>) : {};
    const { data, ...rest } = body;
    const opts = parseQuickcallOptions({ data, query: input.query, body: rest });
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

  /** A token must reach the account; without one, only targets that allow anonymous quickcalls ring. */
  private async authorizedTarget(input: QuickcallInput): Promise<QuickcallTarget> {
    const { directory } = this.gw.infra;
    const claims = input.auth ?? (input.token !== undefined ? await this.verify(input.token) : undefined);
    if (claims !== undefined) {
      await directory.credentials.authorize(claims, input.accountId);
      return loadQuickcallTarget(directory, input.accountId, input.kind, input.endpointId);
    }
    const target = await loadQuickcallTarget(directory, input.accountId, input.kind, input.endpointId).catch((err: unknown) => {
      // without credentials, an unknown id is no business of the caller's
      if (isDirectoryError(err) && err.code === 'not_found') throw KazooError.unauthorized();
      throw err;
    });
    if (!target.allowAnonymous) throw KazooError.unauthorized();
    return target;
  }

  private verify(token: string): Promise<Pick<TokenClaims, 'accountId'>> {
    return this.gw.infra.directory.credentials.verifyToken(token);
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
