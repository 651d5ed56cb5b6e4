import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isDirectoryError, type AuthAttempt, type Directory, type Role } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { NetaxisError } from '../core/netaxis-error';
import type { TokenLogin } from './auth-token.request';

export interface TokenAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** The role the token carries at its tenant: TenantAdmin or EndUser (GroupAdmin is per group, decided per request). */
  role: 'TenantAdmin' | 'EndUser';
}

const roleOf = (role: Role): TokenAnswer['role'] => (role === 'admin' ? 'TenantAdmin' : 'EndUser');
const invalidCredentials = (): NetaxisError => new NetaxisError(401, 'INVALID_CREDENTIALS', 'invalid username or password');
const throttled = (retryAfterMs: number): NetaxisError =>
  new NetaxisError(429, 'TOO_MANY_REQUESTS', 'too many failed logins; try again later', { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } });

/** Logins through the shared failed-authentication throttle; every failure is the same 401. */
@Injectable()
export class AuthTokenService {
  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  login(request: TokenLogin, source: string): Promise<TokenAnswer> {
    return request.kind === 'client' ? this.client(request.clientId, request.secret, source) : this.user(request.username, request.realm, request.password, source);
  }

  private async user(username: string, realm: string, password: string, source: string): Promise<TokenAnswer> {
    const attempt: AuthAttempt = { surface: 'rest', source, username, realm };
    const verdict = await this.directory.throttle.check(attempt);
    if (!verdict.allowed) throw throttled(verdict.retryAfterMs);
    // the directory keeps Kazoo's md5("username:password") credentials
    const md5 = createHash('md5').update(`${username}:${password}`).digest('hex');
    let user;
    try {
      user = await this.directory.credentials.authenticateUser({ realm }, md5);
    } catch (err) {
      if (!isDirectoryError(err, 'unauthorized') && !isDirectoryError(err, 'not_found')) throw err;
      await this.directory.throttle.failed(attempt, 'bad_credentials');
      throw invalidCredentials();
    }
    await this.directory.throttle.succeeded(attempt);
    const token = await this.directory.credentials.issueToken({ accountId: user.account_id, ownerId: user.id, method: 'user_auth' });
    const claims = await this.directory.credentials.verifyToken(token);
    return { accessToken: token, tokenType: 'Bearer', expiresIn: Math.max(1, Math.round((claims.expiresAt - Date.now()) / 1000)), role: roleOf(claims.role) };
  }

  private async client(clientId: string, secret: string, source: string): Promise<TokenAnswer> {
    const result = await this.directory.apiClients.authenticate({ clientId, secret }, { dialect: 'netaxis', source });
    if (!result.ok) {
      if (result.reason === 'throttled') throw throttled(result.retryAfterMs);
      throw invalidCredentials();
    }
    const token = await this.directory.apiClients.issueToken(result.principal);
    return { accessToken: token.token, tokenType: 'Bearer', expiresIn: token.expiresIn, role: roleOf(result.principal.role) };
  }
}
