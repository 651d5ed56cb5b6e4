import { Inject, Injectable } from '@nestjs/common';
import type { Bus } from '@legwork/bus';
import type { Directory } from '@legwork/directory';
import { CALLBACK_ATTEMPTS, callbackSecretContext, enqueueCallback, UrlGuard } from '@legwork/webhook-delivery';
import { BUS, DIRECTORY } from '../../../core/infra.tokens';
import { BasixError } from '../core/basix.error';
import { BASIX_CONFIG, type BasixConfig } from '../core/basix.config';

/** What the callback_url receives when the hunt ends. */
export type HuntResult = { result_code: 0; uuid: string } | { result_code: 500; error: { id: string } };

/**
 * callback_url through the durable webhook delivery: a per-call target, signed (X-Legwork-Signature) with the
 * client's API_TOKEN, retried on the webhook tiers, refused like account hooks when it points somewhere private.
 */
@Injectable()
export class CallbackNotifier {
  private readonly guard: UrlGuard;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(BASIX_CONFIG) config: BasixConfig,
  ) {
    this.guard = new UrlGuard(config.WEBHOOK_ALLOWED_HOSTS);
  }

  /** Checked before anything rings: a URL that could never be called is the request's fault (400 callback_url_invalid). */
  async check(url: string): Promise<void> {
    const verdict = await this.guard.check(url);
    if (!verdict.ok) throw BasixError.invalid('callback_url', verdict.reason);
  }

  async notify(call: { accountId: string; callId: string; url: string; apiToken: string }, result: HuntResult): Promise<void> {
    const ids = { account_id: call.accountId, target_id: `call_user-${call.callId}` };
    await enqueueCallback(this.bus, {
      kind: 'callback',
      ...ids,
      call_id: call.callId,
      uri: call.url,
      sealed_secret: this.directory.secretBox.seal(call.apiToken, callbackSecretContext(ids)),
      payload: result,
      attempt: 1,
      max_attempts: CALLBACK_ATTEMPTS,
      queued_at: Date.now(),
    });
  }
}
