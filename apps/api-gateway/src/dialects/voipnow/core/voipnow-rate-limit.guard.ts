import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { ApiBuckets } from '../../../core/api-buckets.service';
import { DIRECTORY } from '../../../core/infra.tokens';
import type { VoipnowRequest } from './voipnow.contract';
import { VoipnowError } from './voipnow-error';

/** The app's organization's request buckets along its tree (ApiBuckets); runs after the bearer guard, so only verified apps spend tokens. */
@Injectable()
export class VoipnowRateLimitGuard implements CanActivate {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly buckets: ApiBuckets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const app = context.switchToHttp().getRequest<VoipnowRequest>().voipnowApp;
    if (app === undefined) return true;
    const verdict = await this.buckets.take(app.account, (id) => this.directory.accounts.find(id));
    if (!verdict.granted) throw new VoipnowError(429, 'too_many_requests', verdict.accountId === app.accountId ? 'rate limited' : 'rate limited by a parent organization', { 'Retry-After': '1' });
    return true;
  }
}
