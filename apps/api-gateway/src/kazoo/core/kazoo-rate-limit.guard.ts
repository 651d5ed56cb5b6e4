import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../api-gateway.context';
import type { ApiGatewayConfig } from '../../api-gateway.config';
import { ACCOUNT_PARAM, KazooError, type KazooRequest } from './kazoo.contract';
import { isKazooPath } from './kazoo-envelope';
import { requestAccount } from './kazoo-request-account';

/** Per-account token bucket over the shared call store, so every gateway replica draws from one bucket. */
@Injectable()
export class KazooRateLimitGuard implements CanActivate {
  constructor(@Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<ApiGatewayConfig>) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KazooRequest>();
    if (!isKazooPath(req.url)) return true;
    // The account addressed is metered, so public routes (quickcall, anonymous or not) draw from its bucket too.
    const accountId = req.params[ACCOUNT_PARAM] ?? req.auth?.accountId;
    if (accountId === undefined) return true;
    const account = await requestAccount(req, this.ctx.infra.directory, accountId);
    // Unknown accounts are answered 404 by the route; no bucket is created for arbitrary ids.
    if (account === null) return true;
    const own = account.limits.quickcall_bucket;
    const burst = own?.burst ?? this.ctx.config.RATE_BUCKET_BURST;
    const refill = own?.refill_per_second ?? this.ctx.config.RATE_BUCKET_REFILL_PER_SECOND;
    if (!(await this.ctx.infra.calls.limits.bucket(accountId, burst, refill))) throw KazooError.tooManyRequests();
    return true;
  }
}
