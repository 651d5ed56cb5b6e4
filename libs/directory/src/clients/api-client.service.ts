import { isDirectoryError } from '../directory.error';
import type { AccountRepo } from '../repos/account.repo';
import type { RepoContext } from '../repos/repo-context';
import type { UserRepo } from '../repos/user.repo';
import type { ApiClient, ApiClientDialect } from '../schemas/api-client.schema';
import type { AuthThrottle } from '../throttle/auth-throttle';
import { ApiClientRepository } from './api-client.repo';
import { type ClientAuthRequest, type ClientAuthResult, ClientAuthenticator, type ClientCredentials } from './client-auth';
import type { ClientPrincipal } from './client-principal';
import { type ClientToken, type ClientTokenClaims, ClientTokens } from './client-tokens';

export interface ApiClientService {
  /** `{name, dialect, owner_id?}`; the secret is returned here only (the store keeps a keyed hash of it). */
  create(accountId: string, input: unknown): Promise<{ client: ApiClient; client_id: string; client_secret: string }>;
  get(accountId: string, clientId: string): Promise<ApiClient>;
  find(accountId: string, clientId: string): Promise<ApiClient | null>;
  /** The account's clients, oldest first; `ownerId` keeps the apps of one user. */
  list(accountId: string, opts?: { ownerId?: string }): Promise<ApiClient[]>;
  /** Deletes the client: its secret stops authenticating and every token issued for it stops verifying at once. */
  delete(accountId: string, clientId: string): Promise<void>;
  /** Checks presented credentials (throttled; failures logged and counted like every REST login). */
  authenticate(credentials: ClientCredentials, req: ClientAuthRequest): Promise<ClientAuthResult>;
  /** An access token carrying the client, at most the directory's token lifetime. */
  issueToken(client: Pick<ClientPrincipal, 'accountId' | 'clientId'>, opts?: { ttlSeconds?: number }): Promise<ClientToken>;
  /** `unauthorized` unless the token is live, of a client of `dialect` that still exists, under enabled accounts and owner. */
  verifyToken(token: unknown, dialect: ApiClientDialect): Promise<ClientTokenClaims>;
  /** Logs one token out. */
  revokeToken(token: unknown): Promise<void>;
  /** Every token of the client stops verifying; its secret keeps working. */
  revokeTokens(accountId: string, clientId: string): Promise<void>;
}

/** API clients of the non-Kazoo dialects: organization apps (no owner) and users' apps. */
export class ApiClients implements ApiClientService {
  readonly repo: ApiClientRepository;
  private readonly auth: ClientAuthenticator;
  private readonly tokens: ClientTokens;

  constructor(ctx: RepoContext, deps: { accounts: AccountRepo; users: UserRepo; throttle: AuthThrottle; tokenTtlSeconds: number }) {
    this.repo = new ApiClientRepository(ctx, (id) => deps.accounts.get(id), async (accountId, userId) => (await deps.users.find(accountId, userId)) !== null);
    const refs = { accounts: deps.accounts, users: deps.users, clients: this.repo };
    this.auth = new ClientAuthenticator(refs, deps.throttle);
    this.tokens = new ClientTokens(ctx, refs, deps.tokenTtlSeconds);
  }

  async create(accountId: string, input: unknown): Promise<{ client: ApiClient; client_id: string; client_secret: string }> {
    const { client, secret } = await this.repo.create(accountId, input);
    return { client, client_id: client.id, client_secret: secret };
  }

  get(accountId: string, clientId: string): Promise<ApiClient> {
    return this.repo.get(accountId, clientId);
  }

  find(accountId: string, clientId: string): Promise<ApiClient | null> {
    return this.repo.find(accountId, clientId);
  }

  list(accountId: string, opts: { ownerId?: string } = {}): Promise<ApiClient[]> {
    return this.repo.list(accountId, opts.ownerId);
  }

  async delete(accountId: string, clientId: string): Promise<void> {
    await this.repo.remove(accountId, clientId);
    // the document is gone, so tokens already fail; the generation keeps them dead whatever the store replays
    await this.tokens.revokeAll(accountId, clientId);
  }

  /** Deletes the apps registered to a user (the user is being deleted). */
  async removeOwnedBy(accountId: string, userId: string): Promise<void> {
    for (const client of await this.repo.list(accountId, userId)) {
      await this.delete(accountId, client.id).catch((err: unknown) => {
        // deleted meanwhile by someone else: nothing left to do
        if (!isDirectoryError(err, 'not_found')) throw err;
      });
    }
  }

  authenticate(credentials: ClientCredentials, req: ClientAuthRequest): Promise<ClientAuthResult> {
    return this.auth.authenticate(credentials, req);
  }

  issueToken(client: Pick<ClientPrincipal, 'accountId' | 'clientId'>, opts: { ttlSeconds?: number } = {}): Promise<ClientToken> {
    return this.tokens.issue(client, opts.ttlSeconds);
  }

  verifyToken(token: unknown, dialect: ApiClientDialect): Promise<ClientTokenClaims> {
    return this.tokens.verify(token, dialect);
  }

  revokeToken(token: unknown): Promise<void> {
    return this.tokens.revoke(token);
  }

  revokeTokens(accountId: string, clientId: string): Promise<void> {
    return this.tokens.revokeAll(accountId, clientId);
  }

  async purge(accountId: string): Promise<void> {
    await this.repo.purge(accountId);
  }
}
