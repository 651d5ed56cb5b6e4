import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { ApiBuckets } from '../../../core/api-buckets.service';
import { DIRECTORY } from '../../../core/infra.tokens';
import { ACCOUNT_PARAM, KazooError, type KazooRequest } from './kazoo.contract';
import { requestAccount } from './kazoo-request-account';

/** The addressed account's request buckets along its tree (ApiBuckets), refused in Kazoo's shape. */
@Injectable()
export class KazooRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly buckets: ApiBuckets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KazooRequest>();
    // Runs after the access policy granted the request, so only admitted traffic (anonymous quickcalls included) spends tokens.
    const accountId = req.params[ACCOUNT_PARAM] ?? req.auth?.accountId;
    if (accountId === undefined || req.grant === undefined) return true;
    const account = await requestAccount(req, this.directory, accountId);
    if (account === null) return true;
    const verdict = await this.buckets.take(account, (id) => requestAccount(req, this.directory, id));
    if (!verdict.granted) throw KazooError.tooManyRequests(undefined, verdict.accountId === account.id ? 'rate limited' : 'rate limited by a parent account');
    return true;
  }
}
