import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { BucketCap, CallStore } from '@legwork/call-state';
import type { Account, Directory } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, CALL_STORE, DIRECTORY } from '../../../core/infra.tokens';
import type { VoipnowRequest } from './voipnow.contract';
import { VoipnowError } from './voipnow-error';

/**
 * The app's account's `limits.api_bucket` (and every ancestor's below the root), the same buckets every dialect
 * draws from through the shared call store; runs after the bearer guard, so only verified apps spend tokens.
 */
@Injectable()
export class VoipnowRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(CALL_STORE) private readonly calls: CallStore,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const app = context.switchToHttp().getRequest<VoipnowRequest>().voipnowApp;
    if (app === undefined) return true;
    const ancestors = await Promise.all([...app.account.tree].reverse().map((id) => this.directory.accounts.find(id)));
    const caps: BucketCap[] = [];
    for (const a of [app.account, ...ancestors]) {
      const cap = a === null ? undefined : this.cap(a, a === app.account || a.parent_id !== null);
      if (cap !== undefined) caps.push(cap);
    }
    const verdict = await this.calls.limits.bucketAlong(caps);
    if (!verdict.granted) throw new VoipnowError(429, 'too_many_requests', verdict.accountId === app.accountId ? 'rate limited' : 'rate limited by a parent organization', { 'Retry-After': '1' });
    return true;
  }

  private cap(account: Account, withDefault: boolean): BucketCap | undefined {
    const own = account.limits.api_bucket;
    if (own === undefined && !withDefault) return undefined;
    return { accountId: account.id, burst: own?.burst ?? this.config.RATE_BUCKET_BURST, refillPerSecond: own?.refill_per_second ?? this.config.RATE_BUCKET_REFILL_PER_SECOND };
  }
}
