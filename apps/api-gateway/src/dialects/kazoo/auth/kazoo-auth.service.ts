import { Inject, Injectable } from '@nestjs/common';
import type { Account, AccountSelector, AuthAttempt, Directory } from '@legwork/directory';
import { isDirectoryError } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { KazooError } from '../core/kazoo.contract';
import type { CredentialsMethod } from './kazoo-auth.request';

/** What api_auth / user_auth answer in `data`: crossbar_util:response_auth's fields (no apps store, cluster or UI config here). */
export interface AuthView {
  account_id: string;
  account_name: string;
  owner_id?: string;
  method: 'api_key' | 'user_auth';
  is_reseller: boolean;
  is_master_account: boolean;
  reseller_id: string;
  language: string;
  apps: unknown[];
}

/** GET /v2/user_auth/{token}: the token's claims (expiry as `exp`, epoch seconds) with the same account fields. */
export interface TokenInfoView extends AuthView {
  exp: number;
}

export interface AuthResult {
  token: string;
  view: AuthView;
}

/** Exchanges an API key or user credentials for an auth token. */
@Injectable()
export class KazooAuthService {
  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  /** The attempt is throttled by source and by the key's first 8 characters (enough to tell keys apart in a log, useless to guess with). */
  async withApiKey(apiKey: string, source: string): Promise<AuthResult> {
    const attempt: AuthAttempt = { surface: 'rest', source, username: apiKey.slice(0, 8) };
    const account = await this.throttled(attempt, 'bad_api_key', () => this.directory.credentials.authenticateApiKey(apiKey));
    const token = await this.directory.credentials.issueToken({ accountId: account.id, method: 'api_key' });
    return { token, view: await this.view(account, 'api_key') };
  }

  /** Throttled by source and by the account asked for: hashed credentials hide the username itself. */
  async withUser(selector: AccountSelector, credentials: string, method: CredentialsMethod, source: string): Promise<AuthResult> {
    const attempt: AuthAttempt = { surface: 'rest', source, username: selector.phoneNumber ?? selector.realm ?? selector.name ?? '' };
    const user = await this.throttled(attempt, 'bad_credentials', () => this.directory.credentials.authenticateUser(selector, credentials, method));
    const account = await this.directory.accounts.get(user.account_id);
    const token = await this.directory.credentials.issueToken({ accountId: account.id, ownerId: user.id, method: 'user_auth' });
    return { token, view: { ...(await this.view(account, 'user_auth')), owner_id: user.id } };
  }

  /** cb_user_auth's GET: only the token the request authenticated with may be read; any other is a 401. */
  async tokenInfo(requestToken: string | undefined, pathToken: string): Promise<TokenInfoView> {
    if (requestToken === undefined || requestToken !== pathToken) throw KazooError.unauthorized();
    const claims = await unauthorizedOnFailure(this.directory.credentials.verifyToken(pathToken));
    const account = await this.directory.accounts.get(claims.accountId);
    const view = await this.view(account, claims.method);
    return { ...view, ...(claims.ownerId !== undefined ? { owner_id: claims.ownerId } : {}), exp: Math.floor(claims.expiresAt / 1000) };
  }

  logout(token: string): Promise<void> {
    return this.directory.credentials.revokeToken(token);
  }

  /** The shared failed-authentication throttle: refused (429) before any check once over its limits, every failure counted and logged. */
  private async throttled<T>(attempt: AuthAttempt, reason: string, work: () => Promise<T>): Promise<T> {
    const verdict = await this.directory.throttle.check(attempt);
    if (!verdict.allowed) throw KazooError.tooManyRequests(verdict.retryAfterMs, 'too many failed logins; try again later');
    try {
      const result = await unauthorizedOnFailure(work());
      await this.directory.throttle.succeeded(attempt);
      return result;
    } catch (err) {
      if (err instanceof KazooError && err.status === 401) await this.directory.throttle.failed(attempt, reason);
      throw err;
    }
  }

  private async view(account: Account, method: AuthView['method']): Promise<AuthView> {
    const resellerId = account.tree[0] ?? account.id;
    const master = await this.directory.accounts.getMaster();
    return {
      account_id: account.id,
      account_name: account.name,
      method,
      is_reseller: account.parent_id === null,
      is_master_account: master?.id === account.id,
      reseller_id: resellerId,
      // Kazoo's default: neither users nor accounts carry a language here
      language: 'en-us',
      apps: [],
    };
  }
}

/** Every credential failure is the same 401, so callers learn nothing about which part was wrong. */
async function unauthorizedOnFailure<T>(attempt: Promise<T>): Promise<T> {
  try {
    return await attempt;
  } catch (err) {
    if (isDirectoryError(err, 'unauthorized') || isDirectoryError(err, 'not_found')) throw KazooError.unauthorized();
    throw err;
  }
}
