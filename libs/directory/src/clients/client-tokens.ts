import { DirectoryError } from '../directory.error';
import { randomUrlSafe, sha256Hex } from '../credentials/hashing';
import { clientSubject, TokenGenerations } from '../credentials/token-generations';
import type { AccountRepo } from '../repos/account.repo';
import type { RepoContext } from '../repos/repo-context';
import type { UserRepo } from '../repos/user.repo';
import type { ApiClientDialect } from '../schemas/api-client.schema';
import type { ApiClientRepository } from './api-client.repo';
import { type ClientPrincipal, principalOf } from './client-principal';

export interface ClientToken {
  /** Opaque, url-safe (32 random bytes); stored only as its SHA-256. */
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Seconds, as OAuth's `expires_in`. */
  expiresIn: number;
}

export interface ClientTokenClaims extends ClientPrincipal {
  expiresAt: number;
}

interface StoredClientToken {
  account_id: string;
  client_id: string;
  method: 'api_client';
  expires_at: number;
  /** The client's token generation when issued. */
  gen: number;
}

const unauthorized = (message = 'invalid token'): DirectoryError => new DirectoryError('unauthorized', message);

/** Access tokens of API clients (VoipNow OAuth, Netaxis bearer): they carry the client and die with it. */
export class ClientTokens {
  private readonly generations: TokenGenerations;

  constructor(
    private readonly ctx: RepoContext,
    private readonly deps: { accounts: AccountRepo; users: UserRepo; clients: ApiClientRepository },
    private readonly maxTtlSeconds: number,
  ) {
    this.generations = new TokenGenerations(ctx);
  }

  async issue(client: Pick<ClientPrincipal, 'accountId' | 'clientId'>, ttlSeconds = this.maxTtlSeconds): Promise<ClientToken> {
    await this.deps.clients.get(client.accountId, client.clientId);
    const ttl = Math.max(1, Math.min(Math.floor(ttlSeconds), this.maxTtlSeconds));
    // Read before the token exists: a revocation landing meanwhile leaves this token on the old generation.
    const gen = await this.generations.current(client.accountId, clientSubject(client.clientId));
    const token = randomUrlSafe(32);
    const expiresAt = this.ctx.now() + ttl * 1000;
    const stored: StoredClientToken = { account_id: client.accountId, client_id: client.clientId, method: 'api_client', expires_at: expiresAt, gen };
    await this.ctx.store.compareAndSet(this.ctx.keys.token(sha256Hex(token)), null, JSON.stringify(stored), ttl * 1000);
    return { token, expiresAt, expiresIn: ttl };
  }

  /** The claims of a live token of a client of `dialect`; `unauthorized` for anything else, alike. */
  async verify(token: unknown, dialect: ApiClientDialect): Promise<ClientTokenClaims> {
    if (typeof token !== 'string' || token.length < 32 || token.length > 512) throw unauthorized();
    const key = this.ctx.keys.token(sha256Hex(token));
    const raw = await this.ctx.store.get(key);
    const stored = raw === null ? null : (JSON.parse(raw) as StoredClientToken);
    if (stored === null || stored.method !== 'api_client') throw unauthorized();
    if (stored.expires_at <= this.ctx.now()) {
      await this.ctx.store.del([key]);
      throw unauthorized('token expired');
    }
    const [client, gen] = await Promise.all([this.deps.clients.docs.find(stored.account_id, stored.client_id), this.generations.current(stored.account_id, clientSubject(stored.client_id))]);
    if (client === null || gen !== stored.gen) throw unauthorized('token revoked');
    const principal = await principalOf(this.deps, client, dialect);
    if (principal === null) throw unauthorized();
    return { ...principal, expiresAt: stored.expires_at };
  }

  /** Every token of the client stops verifying. */
  revokeAll(accountId: string, clientId: string): Promise<void> {
    return this.generations.bump(accountId, clientSubject(clientId));
  }

  async revoke(token: unknown): Promise<void> {
    if (typeof token !== 'string') return;
    const key = this.ctx.keys.token(sha256Hex(token));
    const raw = await this.ctx.store.get(key);
    // only a client token is this service's to delete
    if (raw !== null && (JSON.parse(raw) as { method?: unknown }).method === 'api_client') await this.ctx.store.compareAndDelete(key, raw);
  }
}
