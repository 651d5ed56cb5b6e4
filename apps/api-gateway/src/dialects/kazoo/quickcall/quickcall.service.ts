import { Inject, Injectable } from '@nestjs/common';
import { envelope } from '@legwork/contracts';
import { ORIGINATION_CLIENT, specFingerprint, type OriginateOutcome, type OriginationClient } from '@legwork/originate-client';
import { APP_NAME, APP_VERSION } from '../../../app.identity';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, DIRECTORY } from '../../../core/infra.tokens';
import type { Account, Directory } from '@legwork/directory';
import { buildQuickcallRequest, quickcallSpec } from './quickcall-request.builder';
import { KAZOO_QUICKCALL_CONFIG } from './quickcall.tokens';
import type { KazooQuickcallConfig } from './quickcall.config';
import { filterNumber, parseQuickcallOptions } from './quickcall.options';
import { failed, restView, type QuickcallOutcome } from './quickcall.outcome';
import { loadQuickcallTarget, type QuickcallKind } from './quickcall.target';

/** Idempotency keys of this dialect live apart from every other dialect's. */
export const KAZOO_DIALECT = 'kazoo';

export interface QuickcallInput {
  verb: 'GET' | 'POST';
  accountId: string;
  kind: QuickcallKind;
  endpointId: string;
  number: string;
  query: Record<string, unknown>;
  body: unknown;
  idempotencyKey?: string;
  /** The addressed account as the guards read it for this request, so it is not read again. */
  account?: Account;
  /** `media` when the request names none (QuickcallMediaDefault). */
  defaultMedia?: 'process' | 'bypass';
}

/** The outcome in crossbar's terms (lower_snake_case, no envelope): the request, merged with the reply when one came. */
function quickcallOutcome(outcome: OriginateOutcome): QuickcallOutcome {
  if (outcome.kind === 'failed') return failed(outcome.cause, outcome.request);
  if (outcome.kind === 'timeout') return { kind: 'timeout', data: { request: restView(outcome.request) } };
  return { kind: 'initiated', data: outcome.reply === undefined ? restView(outcome.request) : { ...restView(outcome.request), ...restView(outcome.reply) } };
}

/** Quickcall: resolve the target, map it onto one OriginateSpec and originate it (GET: published, POST: answered). */
@Injectable()
export class QuickcallService {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(APP_CONFIG) private readonly app: ApiGatewayConfig,
    @Inject(ORIGINATION_CLIENT) private readonly client: OriginationClient,
    @Inject(KAZOO_QUICKCALL_CONFIG) private readonly config: KazooQuickcallConfig,
  ) {}

  /** The auth guard has run the access policy (the caller owns the target, administers it, or it allows anonymous calls). */
  async quickcall(input: QuickcallInput): Promise<QuickcallOutcome & { replayed: boolean }> {
    const target = await loadQuickcallTarget(this.directory, input.accountId, input.kind, input.endpointId, input.account);
    const body = typeof input.body === 'object' && input.body !== null ? (input.body as Record<string, unknown>) : {};
    const { data, ...rest } = body;
    const opts = parseQuickcallOptions({ data, query: input.query, body: rest }, input.defaultMedia);
    const number = filterNumber(input.number, opts.numberFilter);
    const request = buildQuickcallRequest(target, number, opts);
    // nothing can ring: answered like a media-node failure, and nothing is published (nor remembered, a retry may find a phone)
    if (target.unavailable !== undefined) return { ...failed(target.unavailable, { ...envelope(APP_NAME, APP_VERSION, this.app.NODE_ID), ...request }), replayed: false };
    const idempotency = input.idempotencyKey === undefined ? undefined : {
      dialect: KAZOO_DIALECT,
      accountId: input.accountId,
      key: input.idempotencyKey,
      ttlMs: this.config.KAZOO_IDEMPOTENCY_TTL_HOURS * 3_600_000,
      fingerprint: specFingerprint(quickcallSpec(target, number, opts)),
    };
    const outcome = await this.client.originate(request, { await: input.verb === 'GET' ? 'published' : 'answered', idempotency });
    return { ...quickcallOutcome(outcome), replayed: outcome.replayed };
  }
}
