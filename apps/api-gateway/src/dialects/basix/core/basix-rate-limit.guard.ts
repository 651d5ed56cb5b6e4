import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { BucketCap, CallStore } from '@legwork/call-state';
import type { Account, Directory } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, CALL_STORE, DIRECTORY } from '../../../core/infra.tokens';
import { BasixError } from './basix.error';
import type { BasixRequest } from './basix.request';

/**
 * The account's `limits.api_bucket` (default RATE_BUCKET_*) and every ancestor's below the root, shared by all
 * gateways through the call store, as every dialect meters requests; runs after authentication.
 */
@Injectable()
export class BasixRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(CALL_STORE) private readonly calls: CallStore,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const account = context.switchToHttp().getRequest<BasixRequest>().basix?.principal.account;
    if (account === undefined) return true;
    const ancestors = await Promise.all([...account.tree].reverse().map((id) => this.directory.accounts.find(id)));
    const caps = [account, ...ancestors].flatMap((a) => (a === null ? [] : this.cap(a, a === account || a.parent_id !== null)));
    const verdict = await this.calls.limits.bucketAlong(caps);
    if (!verdict.granted) throw new BasixError(429, 'rate_limited', verdict.accountId === account.id ? 'the domain sends requests faster than its api_bucket allows' : 'a parent account limits the request rate');
    return true;
  }

  /** The root (master) is metered only when it sets a bucket of its own. */
  private cap(account: Account, withDefault: boolean): BucketCap[] {
    const own = account.limits.api_bucket;
    if (own === undefined && !withDefault) return [];
    return [{ accountId: account.id, burst: own?.burst ?? this.config.RATE_BUCKET_BURST, refillPerSecond: own?.refill_per_second ?? this.config.RATE_BUCKET_REFILL_PER_SECOND }];
  }
}
