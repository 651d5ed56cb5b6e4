import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { callerOf, callerOfClient, isDirectoryError, type Caller, type Directory, type RequestLimiter } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, DIRECTORY } from '../../../core/infra.tokens';
import { sourceOf, type NetaxisRequest } from './netaxis.contract';
import { NetaxisError } from './netaxis-error';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * `Authorization: Bearer <token>` from POST /api/v1/auth/token: a user's login token or a `netaxis` API client's.
 * A missing or dead token is a 401 and counts against the source's unauthenticated limit, which every dialect shares.
 */
@Injectable()
export class NetaxisAuthGuard implements CanActivate {
  private readonly unauthenticated: RequestLimiter;

  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(APP_CONFIG) config: ApiGatewayConfig,
  ) {
    this.unauthenticated = directory.requestLimiter({
      name: 'rest-unauthenticated',
      points: config.UNAUTHENTICATED_RATE_LIMIT,
      durationSeconds: config.UNAUTHENTICATED_RATE_WINDOW_SECONDS,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<NetaxisRequest>();
    const header = req.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) return this.refuse(req, header === undefined ? 'a bearer token is required' : 'the Authorization header is not a bearer token');
    const caller = await this.verify(token);
    if (caller === null) return this.refuse(req, 'the bearer token is invalid or expired');
    req.netaxisCaller = caller;
    return true;
  }

  /** A user's login token (never an API key's), else a netaxis API client's. */
  private async verify(token: string): Promise<Caller | null> {
    try {
      const claims = await this.directory.credentials.verifyToken(token);
      if (claims.method === 'user_auth') return callerOf(claims);
    } catch (err) {
      if (!isDirectoryError(err, 'unauthorized')) throw err;
    }
    try {
      return callerOfClient(await this.directory.apiClients.verifyToken(token, 'netaxis'));
    } catch (err) {
      if (!isDirectoryError(err, 'unauthorized')) throw err;
      return null;
    }
  }

  private async refuse(req: NetaxisRequest, message: string): Promise<never> {
    const verdict = await this.unauthenticated.consume(sourceOf(req));
    if (!verdict.allowed) {
      throw new NetaxisError(429, 'TOO_MANY_REQUESTS', 'too many requests without a valid token from this address', { headers: { 'Retry-After': String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))) } });
    }
    throw NetaxisError.unauthorized(message);
  }
}
