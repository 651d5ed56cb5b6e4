import { Inject, Injectable } from '@nestjs/common';
import type { BucketCap, CallStore } from '@legwork/call-state';
import type { Account } from '@legwork/directory';
import type { ApiGatewayConfig } from '../api-gateway.config';
import { APP_CONFIG, CALL_STORE } from './infra.tokens';

export interface BucketVerdict {
  granted: boolean;
  /** The account whose bucket refused (the addressed one or an ancestor). */
  accountId?: string;
}

/**
 * The per-account request buckets every dialect draws from, over the shared call store so every gateway
 * replica meters one bucket. A request takes a token from its account and from every ancestor below the
 * root: a parent's bucket (its own `limits.api_bucket`, or the default) caps its whole subtree; the root
 * is metered for its own requests only, unless it has an explicit bucket.
 */
@Injectable()
export class ApiBuckets {
  constructor(
    @Inject(CALL_STORE) private readonly calls: CallStore,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async take(account: Account, find: (accountId: string) => Promise<Account | null>): Promise<BucketVerdict> {
    const ancestors = await Promise.all([...account.tree].reverse().map(find));
    const caps: BucketCap[] = [];
    for (const a of [account, ...ancestors]) {
      const cap = a === null ? undefined : this.cap(a, a === account || a.parent_id !== null);
      if (cap !== undefined) caps.push(cap);
    }
    return this.calls.limits.bucketAlong(caps);
  }

  private cap(account: Account, withDefault: boolean): BucketCap | undefined {
    const own = account.limits.api_bucket;
    if (own === undefined && !withDefault) return undefined;
    const { RATE_BUCKET_BURST, RATE_BUCKET_REFILL_PER_SECOND } = this.config;
    return { accountId: account.id, burst: own?.burst ?? RATE_BUCKET_BURST, refillPerSecond: own?.refill_per_second ?? RATE_BUCKET_REFILL_PER_SECOND };
  }
}
