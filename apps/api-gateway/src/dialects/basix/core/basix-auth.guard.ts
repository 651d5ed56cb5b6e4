import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { BasixError } from './basix.error';
import type { BasixRequest } from './basix.request';

const MAX_HEADER = 1024;

/** `Authorization: Basic base64(DOMAIN_NAME:API_TOKEN)` split at the first colon; undefined when it is not that. */
export function basicCredentials(header: string | undefined): { realm: string; secret: string } | undefined {
  if (header === undefined || header.length > MAX_HEADER) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (m === null) return undefined;
  const text = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return undefined;
  return { realm: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/**
 * HTTP Basic `DOMAIN_NAME:API_TOKEN`: the account's realm and a `basix` API client's secret. Missing or
 * wrong credentials, another dialect's client, a disabled account or owner all answer the same 401.
 */
@Injectable()
export class BasixAuthGuard implements CanActivate {
  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<BasixRequest>();
    const credentials = basicCredentials(req.headers.authorization);
    if (credentials === undefined) throw unauthorized('send HTTP Basic credentials DOMAIN_NAME:API_TOKEN');
    const source = req.socket.remoteAddress ?? 'unknown';
    const result = await this.directory.apiClients.authenticate(credentials, { dialect: 'basix', source });
    if (result.ok) {
      req.basix = { principal: result.principal, apiToken: credentials.secret };
      return true;
    }
    if (result.reason === 'throttled') {
      throw new BasixError(429, 'too_many_requests', 'too many failed authentications from this source; retry later', undefined, Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
    }
    throw unauthorized('DOMAIN_NAME:API_TOKEN does not match a Basix API client of that domain');
  }
}

function unauthorized(message: string): BasixError {
  return new BasixError(401, 'unauthorized', message);
}
