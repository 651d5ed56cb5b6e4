import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppContext } from '@legwork/platform';
import { isDirectoryError } from '@legwork/directory';
import { API_GATEWAY_CONTEXT } from '../../api-gateway.context';
import { ACCOUNT_PARAM, IS_PUBLIC, KazooError, type KazooRequest } from './kazoo.contract';
import { isKazooPath, requestIdOf } from './kazoo-envelope';
import { requestAccount } from './kazoo-request-account';

/** X-Auth-Token → verified caller; routes with :accountId reach only the caller's account tree. */
@Injectable()
export class KazooAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<unknown>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KazooRequest>();
    if (!isKazooPath(req.url)) return true;
    requestIdOf(req);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;

    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') throw KazooError.unauthorized({ message: 'missing X-Auth-Token' });
    const { credentials } = this.ctx.infra.directory;
    const claims = await credentials.verifyToken(token).catch((err: unknown) => {
      throw isDirectoryError(err, 'unauthorized') ? KazooError.unauthorized({ message: err.message }) : err;
    });
    req.auth = { accountId: claims.accountId, method: claims.method, token, ...(claims.ownerId === undefined ? {} : { ownerId: claims.ownerId }) };

    const accountId = req.params[ACCOUNT_PARAM];
    if (accountId !== undefined) {
      // Unknown accounts are 'bad identifier' before any tree check, as Kazoo answers.
      if ((await requestAccount(req, this.ctx.infra.directory, accountId)) === null) throw KazooError.badIdentifier(accountId);
      await credentials.authorize(claims, accountId).catch((err: unknown) => {
        throw isDirectoryError(err, 'forbidden') ? KazooError.forbidden({ message: 'token may not access this account' }) : err;
      });
    }
    return true;
  }
}
