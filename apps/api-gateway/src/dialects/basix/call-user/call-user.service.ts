import { Inject, Injectable } from '@nestjs/common';
import { isLegworkError } from '@legwork/common';
import type { ClientPrincipal, Directory } from '@legwork/directory';
import {
  buildOriginateRequest, callIdsOf, ORIGINATION_CLIENT, type OriginateOutcome, type OriginateRequestBody, type OriginateSpec, type OriginationClient,
} from '@legwork/originate-client';
import type { AppLogger } from '@legwork/platform';
import { APP_LOGGER, DIRECTORY } from '../../../core/infra.tokens';
import { BASIX_CONFIG, type BasixConfig } from '../core/basix.config';
import { BasixError } from '../core/basix.error';
import { CallbackNotifier, type HuntResult } from './callback.notifier';
import { parseCallUser } from './call-user.request';
import { causeError, causeId, timeoutError } from './call-user.outcome';
import { callUserSpec } from './call-user.spec-builder';
import { loadCallUserTarget } from './call-user.target';
import { e164In, resolveDestination } from './destination.resolver';
import { LegsWatcher, type LegsWatch } from './legs.watcher';

export interface CallUserReply {
  result_code: 0;
  uuids: string[];
}

/** Which request parameter an OriginateSpec field came from, for the 400 that names it. */
const SPEC_FIELDS: Record<string, string> = {
  destination: 'destination',
  'callerIdToSource.name': 'calling_name',
  'callerIdToSource.number': 'calling_name',
  'callerIdToDestination.number': 'calling_number',
};

/** The hunt's end as the callback_url hears it. */
export function huntResult(outcome: OriginateOutcome, fallbackUuid: string): HuntResult {
  if (outcome.kind === 'initiated') return { result_code: 0, uuid: outcome.callId ?? fallbackUuid };
  return { result_code: 500, error: { id: outcome.kind === 'failed' ? causeId(outcome.cause) : 'timeout' } };
}

/**
 * call_user: validate, resolve the user (its terminals), the group context and the destination, originate once,
 * answer with the uuids of the legs created, and tell callback_url how the hunt ended.
 */
@Injectable()
export class CallUserService {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(ORIGINATION_CLIENT) private readonly client: OriginationClient,
    @Inject(BASIX_CONFIG) private readonly config: BasixConfig,
    private readonly legs: LegsWatcher,
    private readonly callback: CallbackNotifier,
  ) {}

  async callUser(principal: ClientPrincipal, apiToken: string, body: unknown): Promise<CallUserReply> {
    const request = parseCallUser(body);
    if (request.callbackUrl !== undefined) await this.callback.check(request.callbackUrl);
    const dir = this.directory;
    const target = await loadCallUserTarget(dir, principal, request);
    const destination = await resolveDestination(dir, target.account, request.destination.target);
    const given = request.destination.callingNumber;
    const callingNumber = given === undefined ? undefined : e164In(target.account, given);
    if (given !== undefined && callingNumber === undefined) throw BasixError.invalid('calling_number', `"${given}" is not a valid phone number${target.account.country !== undefined ? ` in ${target.account.country}` : ''}`);
    const spec = callUserSpec(principal, { request, target, destination, media: this.config.BASIX_MEDIA, ...(callingNumber !== undefined ? { callingNumber } : {}) });
    const originate = this.build(spec);
    const watch = await this.legs.watch(callIdsOf(originate));
    const callback = request.callbackUrl === undefined ? undefined : { accountId: target.account.id, url: request.callbackUrl, apiToken };
    let outcome: Promise<OriginateOutcome>;
    try {
      outcome = this.client.originate(originate, { await: 'answered' });
    } catch (err) {
      await watch.close();
      throw err;
    }
    const uuids = await this.started(outcome, watch).catch(async (err: unknown) => {
      await watch.close().catch(() => undefined);
      throw err;
    });
    void this.finish(outcome, watch, uuids, callback);
    return { result_code: 0, uuids };
  }

  private build(spec: OriginateSpec): OriginateRequestBody {
    try {
      return buildOriginateRequest(spec);
    } catch (err) {
      if (!isLegworkError(err) || err.code !== 'invalid_spec') throw err;
      const field = SPEC_FIELDS[String(err.details['field'])] ?? 'destination';
      throw BasixError.invalid(field, err.message);
    }
  }

  /** The legs created once the hunt began; an origination that ends before any leg exists is the request's answer. */
  private async started(outcome: Promise<OriginateOutcome>, watch: LegsWatch): Promise<string[]> {
    const first = await Promise.race([watch.started().then(() => undefined), outcome]);
    const graceMs = this.config.BASIX_LEGS_GRACE_MS;
    if (first === undefined) return watch.settled(graceMs);
    // an end as quick as an auto-answer or a refusal can overtake its legs' CHANNEL_CREATE
    const created = await watch.settled(graceMs);
    if (first.kind === 'initiated') return created.length > 0 ? created : [first.callId ?? watch.callIds[0] ?? ''];
    if (created.length > 0) return created;
    if (first.kind === 'failed') throw causeError(first.cause, typeof first.reply?.['Error-Detail'] === 'string' ? first.reply['Error-Detail'] : undefined);
    throw timeoutError();
  }

  /** After the reply: the hunt's end goes to callback_url (when given), then the legs' bindings are dropped. */
  private async finish(outcome: Promise<OriginateOutcome>, watch: LegsWatch, uuids: string[], callback: { accountId: string; url: string; apiToken: string } | undefined): Promise<void> {
    try {
      const result = huntResult(await outcome, uuids[0] ?? '');
      if (callback !== undefined) await this.callback.notify({ ...callback, callId: uuids[0] ?? '' }, result);
    } catch (err) {
      this.logger.error({ err, callIds: watch.callIds }, 'call_user: the hunt outcome could not be delivered');
    } finally {
      await watch.close().catch((err: unknown) => this.logger.warn({ err }, 'call_user: legs watch not released'));
    }
  }
}
