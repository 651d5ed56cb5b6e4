import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { CallStore } from '@legwork/call-state';
import { isDirectoryError, type Directory, type Ownership } from '@legwork/directory';
import type { AppLogger } from '@legwork/platform';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, APP_LOGGER, CALL_STORE, DIRECTORY } from '../../../core/infra.tokens';
import { CdrsService } from '../cdrs/cdrs.service';
import { KAZOO_ACCESS, type KazooAccessSpec } from './kazoo-access.decorator';
import { ACCOUNT_PARAM, callerOfAuth, KazooError, type KazooAuth, type KazooRequest } from './kazoo.contract';
import { requestIdOf, stampNode } from './kazoo-envelope';
import { toKazooError } from './kazoo-error.map';
import { callOwnership, cdrOwnership } from './kazoo-ownership';
import { ACCOUNT_ID, checkPathParams } from './kazoo-params';
import { prefetchAccount, requestAccount } from './kazoo-request-account';
import { presentedToken } from './kazoo-token';
import { KazooUnauthenticatedLimiter } from './kazoo-unauthenticated.limiter';

/** The peer address as the socket saw it (no proxy headers are trusted). */
export function sourceOf(req: KazooRequest): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Every Kazoo route (attached by KazooController): bounded path parameters, the auth token (kazoo-token) → caller, then the shared access policy for the
 * route's declared operation. Requests without a valid token are limited by source before anything
 * else, so they never spend an account's bucket. A route without a declared policy is refused.
 */
@Injectable()
export class KazooAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly unauthenticated: KazooUnauthenticatedLimiter,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(CALL_STORE) private readonly calls: CallStore,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KazooRequest>();
    requestIdOf(req);
    stampNode(req, this.config.NODE_ID);
    const token = presentedToken(req);
    if (token !== undefined) req.presentedToken = token;
    const spec = this.reflector.get<KazooAccessSpec | undefined>(KAZOO_ACCESS, context.getHandler());
    if (spec === undefined) {
      this.logger.error({ url: req.url }, 'kazoo route without an access policy refused');
      throw KazooError.forbidden({ message: 'this route has no access policy' });
    }
    checkPathParams(req.params);
    const accountId = req.params[ACCOUNT_PARAM];
    // read alongside the token, not after it: one Redis round trip less before the policy runs
    if (accountId !== undefined && ACCOUNT_ID.test(accountId)) prefetchAccount(req, this.directory, accountId);
    const auth = spec.operation === 'session.login' ? undefined : await this.authenticate(req);
    if (auth === undefined) await this.admitUnauthenticated(req);
    const account = accountId === undefined ? undefined : ACCOUNT_ID.test(accountId) ? await requestAccount(req, this.directory, accountId) : null;
    try {
      req.grant = await this.directory.access.authorize(auth === undefined ? null : callerOfAuth(auth), {
        operation: spec.operation,
        ...(accountId !== undefined ? { accountId, account } : {}),
        ...(spec.target !== undefined ? { targetId: req.params[spec.target] } : {}),
        ...(accountId !== undefined ? { owned: () => this.ownership(spec, accountId, req.params) } : {}),
      });
    } catch (err) {
      throw isDirectoryError(err) ? toKazooError(err) : err;
    }
    return true;
  }

  /** The verified caller, or undefined without a token; a token that does not verify is a 401. */
  private async authenticate(req: KazooRequest): Promise<KazooAuth | undefined> {
    const token = req.presentedToken;
    if (token === undefined) return undefined;
    try {
      const claims = await this.directory.credentials.verifyToken(token, { findAccount: (id) => requestAccount(req, this.directory, id) });
      req.auth = { accountId: claims.accountId, method: claims.method, role: claims.role, token, ...(claims.ownerId === undefined ? {} : { ownerId: claims.ownerId }) };
      return req.auth;
    } catch (err) {
      if (!isDirectoryError(err, 'unauthorized')) throw err;
      await this.admitUnauthenticated(req);
      throw KazooError.unauthorized();
    }
  }

  private async admitUnauthenticated(req: KazooRequest): Promise<void> {
    const verdict = await this.unauthenticated.consume(sourceOf(req));
    if (!verdict.allowed) throw KazooError.tooManyRequests(verdict.retryAfterMs, 'too many requests without a valid token from this address');
  }

  /** Who owns the call or CDR the route addresses; null when there is no such live call or record here. */
  private async ownership(spec: KazooAccessSpec, accountId: string, params: Record<string, string | undefined>): Promise<Ownership | null> {
    const callId = spec.call === undefined ? undefined : params[spec.call];
    if (callId !== undefined) {
      const call = await this.calls.calls.get(callId);
      return call === null || call.accountId !== accountId || call.state === 'ended' ? null : callOwnership(call);
    }
    const cdrId = spec.cdr === undefined ? undefined : params[spec.cdr];
    if (cdrId === undefined) return null;
    const doc = await this.moduleRef.get(CdrsService, { strict: false }).find(accountId, cdrId);
    return doc === null ? null : cdrOwnership(doc);
  }
}
