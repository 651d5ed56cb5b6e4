import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { ApiBuckets } from '../../../core/api-buckets.service';
import { DIRECTORY } from '../../../core/infra.tokens';
import type { NetaxisRequest } from './netaxis.contract';
import { NetaxisError } from './netaxis-error';

/** The caller's account's request buckets along its tree (ApiBuckets); runs after the bearer guard, so only verified callers spend tokens. */
@Injectable()
export class NetaxisRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly buckets: ApiBuckets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const caller = context.switchToHttp().getRequest<NetaxisRequest>().netaxisCaller;
    if (caller === undefined) return true;
    const account = await this.directory.accounts.find(caller.accountId);
    if (account === null) throw NetaxisError.unauthorized('the token names no account');
    const verdict = await this.buckets.take(account, (id) => this.directory.accounts.find(id));
    if (!verdict.granted) throw new NetaxisError(429, 'TOO_MANY_REQUESTS', verdict.accountId === account.id ? 'rate limited' : 'rate limited by a parent tenant', { headers: { 'Retry-After': '1' } });
    return true;
  }
}
