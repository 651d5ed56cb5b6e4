import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isDirectoryError, type Directory, type RequestLimiter } from '@legwork/directory';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, DIRECTORY } from '../../../core/infra.tokens';
import { sourceOf, type VoipnowRequest } from './voipnow.contract';
import { VoipnowError } from './voipnow-error';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * `Authorization: Bearer <access token>` of a VoipNow app (POST /oauth/token.php). A missing or dead token is a
 * 401 and counts against the source's unauthenticated limit, which the Kazoo routes share.
 */
@Injectable()
export class VoipnowAuthGuard implements CanActivate {
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
    const req = context.switchToHttp().getRequest<VoipnowRequest>();
    const header = req.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) return this.refuse(req, header === undefined ? 'a bearer token is required' : 'the Authorization header is not a bearer token');
    try {
      req.voipnowApp = await this.directory.apiClients.verifyToken(token, 'voipnow');
      return true;
    } catch (err) {
      if (!isDirectoryError(err, 'unauthorized')) throw err;
      return this.refuse(req, err.message);
    }
  }

  private async refuse(req: VoipnowRequest, message: string): Promise<never> {
    const verdict = await this.unauthenticated.consume(sourceOf(req));
    if (!verdict.allowed) {
      throw new VoipnowError(429, 'too_many_requests', 'too many requests without a valid token from this address', { 'Retry-After': String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))) });
    }
    throw VoipnowError.unauthorized(message);
  }
}
