import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { XonError } from './xon.error';
import type { XonRequest } from './xon.request';

const BEARER = /^Bearer +([A-Za-z0-9_-]{1,256}) *$/i;

/** The secret of `Authorization: Bearer <secret>`; undefined when the header is not that. */
export function bearerSecret(header: string | undefined): string | undefined {
  return header === undefined || header.length > 1024 ? undefined : BEARER.exec(header)?.[1];
}

/**
 * `Authorization: Bearer <client_secret>` of an `xon` API client (the patient API's consumer, a SIP proxy). No or a
 * wrong secret, another dialect's client, a disabled account or owner all answer the same 401; failures are throttled.
 */
@Injectable()
export class XonAuthGuard implements CanActivate {
  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<XonRequest>();
    const secret = bearerSecret(req.headers.authorization);
    if (secret === undefined) throw new XonError(401, 'unauthorized', 'send Authorization: Bearer <client_secret> of an xon API client');
    const result = await this.directory.apiClients.authenticate({ secret }, { dialect: 'xon', source: req.socket.remoteAddress ?? 'unknown' });
    if (result.ok) {
      req.xon = result.principal;
      return true;
    }
    if (result.reason === 'throttled') {
      throw new XonError(429, 'rate_limited', 'too many failed authentications from this source; retry later', undefined, false, Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
    }
    throw new XonError(401, 'unauthorized', 'the bearer secret is not that of an xon API client');
  }
}
