import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { ApiBuckets } from '../../../core/api-buckets.service';
import { DIRECTORY } from '../../../core/infra.tokens';
import { XonError } from './xon.error';
import type { XonRequest } from './xon.request';

/** The client's account's request buckets along its tree (ApiBuckets), as every dialect meters requests; runs after authentication. */
@Injectable()
export class XonRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly buckets: ApiBuckets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const account = context.switchToHttp().getRequest<XonRequest>().xon?.account;
    if (account === undefined) return true;
    const verdict = await this.buckets.take(account, (id) => this.directory.accounts.find(id));
    if (!verdict.granted) throw new XonError(429, 'rate_limited', verdict.accountId === account.id ? 'the account sends requests faster than its api_bucket allows' : 'a parent account limits the request rate', undefined, false, 1);
    return true;
  }
}
