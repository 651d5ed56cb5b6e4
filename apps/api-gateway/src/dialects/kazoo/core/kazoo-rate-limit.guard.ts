import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { BucketCap, CallStore } from '@legwork/call-state';
import type { Account, Directory } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, CALL_STORE, DIRECTORY } from '../../../core/infra.tokens';
import { ACCOUNT_PARAM, KazooError, type KazooRequest } from './kazoo.contract';
import { requestAccount } from './kazoo-request-account';

/**
 * Per-account token buckets over the shared call store, so every gateway replica draws from one bucket.
 * A request takes a token from the addressed account and from every ancestor below the root: a parent's
 * bucket (its own, or the default) caps its whole subtree. The root (the master) is metered for its
 * own requests only, unless it has an explicit bucket.
 */
@Injectable()
export class KazooRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(CALL_STORE) private readonly calls: CallStore,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KazooRequest>();
    // Runs after the access policy granted the request, so only admitted traffic (anonymous quickcalls included) spends tokens.
    const accountId = req.params[ACCOUNT_PARAM] ?? req.auth?.accountId;
    if (accountId === undefined || req.grant === undefined) return true;
    const account = await requestAccount(req, this.directory, accountId);
    if (account === null) return true;
    const verdict = await this.calls.limits.bucketAlong(await this.chainOf(req, account));
    if (!verdict.granted) throw KazooError.tooManyRequests(undefined, verdict.accountId === account.id ? 'rate limited' : 'rate limited by a parent account');
    return true;
  }

  private async chainOf(req: KazooRequest, account: Account): Promise<BucketCap[]> {
    const ancestors = await Promise.all([...account.tree].reverse().map((id) => requestAccount(req, this.directory, id)));
    const caps: BucketCap[] = [];
    for (const a of [account, ...ancestors]) {
      const cap = a === null ? undefined : this.cap(a, a === account || a.parent_id !== null);
      if (cap !== undefined) caps.push(cap);
    }
    return caps;
  }

  private cap(account: Account, withDefault: boolean): BucketCap | undefined {
    const own = account.limits.api_bucket;
    if (own === undefined && !withDefault) return undefined;
    const { RATE_BUCKET_BURST, RATE_BUCKET_REFILL_PER_SECOND } = this.config;
    return { accountId: account.id, burst: own?.burst ?? RATE_BUCKET_BURST, refillPerSecond: own?.refill_per_second ?? RATE_BUCKET_REFILL_PER_SECOND };
  }
}
