import { Inject, Injectable } from '@nestjs/common';
import type { Account, Directory } from '@legwork/directory';
import { isDirectoryError } from '@legwork/directory';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../api-gateway.context';
import { KazooError } from '../core/kazoo.contract';

/** What api_auth / user_auth answer in `data`, like Kazoo's crossbar. */
export interface AuthView {
  account_id: string;
  account_name: string;
  owner_id?: string;
  method: 'api_key' | 'user_auth';
  is_reseller: boolean;
  reseller_id: string;
  language: string;
  apps: unknown[];
}

export interface AuthResult {
  token: string;
  view: AuthView;
}

/** Exchanges an API key or user credentials for an auth token. */
@Injectable()
export class KazooAuthService {
  constructor(@Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<unknown>) {}

  private get directory(): Directory {
    return this.ctx.infra.directory;
  }

  async withApiKey(apiKey: string): Promise<AuthResult> {
    const account = await unauthorizedOnFailure(this.directory.credentials.authenticateApiKey(apiKey));
    const token = await this.directory.credentials.issueToken({ accountId: account.id, method: 'api_key' });
    return { token, view: this.view(account, 'api_key') };
  }

  async withUser(accountName: string, md5Credentials: string): Promise<AuthResult> {
    const user = await unauthorizedOnFailure(this.directory.credentials.authenticateUser(accountName, md5Credentials));
    const account = await this.directory.accounts.get(user.account_id);
    const token = await this.directory.credentials.issueToken({ accountId: account.id, ownerId: user.id, method: 'user_auth' });
    return { token, view: { ...this.view(account, 'user_auth'), owner_id: user.id } };
  }

  private view(account: Account, method: AuthView['method']): AuthView {
    const resellerId = account.tree[0] ?? account.id;
    return {
      account_id: account.id,
      account_name: account.name,
      method,
      is_reseller: account.parent_id === null,
      reseller_id: resellerId,
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
    if (isDirectoryError(err, 'unauthorized') || isDirectoryError(err, 'not_found')) throw KazooError.unauthorized({ message: 'invalid credentials' });
    throw err;
  }
}
