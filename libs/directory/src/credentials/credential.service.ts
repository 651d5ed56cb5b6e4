import { DirectoryError } from '../directory.error';
import type { RepoContext } from '../repos/repo-context';
import type { AccountRepository } from '../repos/account.repo';
import { publicUser, type UserRepository } from '../repos/user.repo';
import type { Account } from '../schemas/account.schema';
import type { User } from '../schemas/user.schema';
import type { CredentialMethod } from '../secrets/credential-hash';
import { enabledAccount } from './enabled-account';
import { randomHex, randomUrlSafe, sha256Hex } from './hashing';
import { loginAccounts, type AccountSelector, type DidAccountLookup } from './login-accounts';
import { TokenGenerations } from './token-generations';

export type AuthMethod = 'api_key' | 'user_auth';

export interface TokenRequest {
  accountId: string;
  ownerId?: string;
  method: AuthMethod;
}

export interface TokenClaims {
  accountId: string;
  ownerId?: string;
  method: AuthMethod;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** admin for API keys and users with priv_level admin, read from the user on every verification. */
  role: 'admin' | 'user';
}

/**
 * What a long-lived connection keeps of the token it authenticated with: never the token itself, only its
 * hash and what it was issued for, so the connection can be re-verified after the token expired.
 */
export interface TokenSession {
  readonly tokenHash: string;
  readonly accountId: string;
  readonly ownerId?: string;
  readonly method: AuthMethod;
  /** The user's token generation when the token was issued. */
  readonly generation?: number;
  /** Epoch milliseconds: the token's own expiry (informational; sessions outlive it). */
  readonly expiresAt: number;
}

/** A revoked token's mark outlives the token by this much; sessions must be re-verified more often than that. */
export const REVOKED_TOKEN_RETENTION_SECONDS = 86_400;

export interface CredentialService {
  /** A new 64-hex API key for the account; only its SHA-256 is stored, so this is the one chance to read it. */
  createApiKey(accountId: string): Promise<string>;
  /** Binds a chosen 64-hex key (bootstrap); `conflict` if another account holds it. */
  setApiKey(accountId: string, plaintext: string): Promise<void>;
  revokeApiKey(accountId: string, plaintext: string): Promise<void>;
  /** The enabled account owning the key, or `unauthorized`. */
  authenticateApiKey(plaintext: string): Promise<Account>;
  /**
   * Kazoo user_auth: the account by phone number, realm or name (each only from its own field; a bare string is a
   * realm, then a name) and md5 (or, method `sha`, sha1) of "username:password"; `unauthorized` on any mismatch.
   */
  authenticateUser(account: AccountSelector | string, credentials: string, method?: CredentialMethod): Promise<User>;
  /** An opaque url-safe token (32 random bytes), stored only as its SHA-256 with an expiry. */
  issueToken(request: TokenRequest): Promise<string>;
  /**
   * `unauthorized` when the token is unknown, expired or revoked, when its account or any ancestor is gone
   * or disabled, or when its user is gone, disabled or had its tokens revoked since.
   */
  verifyToken(token: string, opts?: VerifyOptions): Promise<TokenClaims>;
  /** verifyToken, plus the session a long-lived connection keeps to re-verify itself later (verifySession). */
  openSession(token: string, opts?: VerifyOptions): Promise<{ claims: TokenClaims; session: TokenSession }>;
  /**
   * `unauthorized` once the session's token was revoked (revokeToken, or all of its user's tokens), its user is
   * gone or disabled, or its account or any ancestor is gone or disabled. The token's expiry is not checked:
   * a connection that authenticated once lives on, as Kazoo's blackhole sockets do. The role is read now.
   */
  verifySession(session: TokenSession): Promise<TokenClaims>;
  /** The token stops verifying, and so does every session opened with it. */
  revokeToken(token: string): Promise<void>;
  /** Every token of the user stops verifying (password change, disabling). */
  revokeUserTokens(accountId: string, userId: string): Promise<void>;
  /** `forbidden` unless `accountId` is the caller's account or one of its sub-accounts. */
  authorize(claims: Pick<TokenClaims, 'accountId'>, accountId: string): Promise<void>;
}

export interface VerifyOptions {
  /** Reads the token's account and its ancestors, e.g. from what the caller already loaded for this request; default the directory. */
  findAccount?: (accountId: string) => Promise<Account | null>;
}

interface StoredToken {
  account_id: string;
  owner_id?: string;
  /** `api_client` tokens belong to the API clients' own dialects and never verify here. */
  method: AuthMethod | 'api_client';
  expires_at: number;
  /** The user's token generation when issued. */
  gen?: number;
}

const API_KEY = /^[0-9a-f]{64}$/;
const CREDENTIALS: Record<CredentialMethod, RegExp> = { md5: /^[0-9a-f]{32}$/, sha: /^[0-9a-f]{40}$/ };

export class CredentialStore implements CredentialService {
  private readonly generations: TokenGenerations;

  constructor(
    private readonly ctx: RepoContext,
    private readonly accounts: AccountRepository,
    private readonly users: UserRepository,
    private readonly tokenTtlSeconds: number,
    /** Finds the account of a user_auth `phone_number`; without it phone numbers select nothing. */
    private readonly didAccount?: DidAccountLookup,
  ) {
    this.generations = new TokenGenerations(ctx);
  }

  async createApiKey(accountId: string): Promise<string> {
    const key = randomHex(32);
    await this.setApiKey(accountId, key);
    return key;
  }

  async setApiKey(accountId: string, plaintext: string): Promise<void> {
    const key = typeof plaintext === 'string' ? plaintext.toLowerCase() : '';
    if (!API_KEY.test(key)) throw DirectoryError.invalidField('api_key', 'format', 'must be 64 hex characters');
    await this.accounts.get(accountId);
    const hash = sha256Hex(key);
    const claimed = await this.ctx.store.hsetnx(this.ctx.keys.apiKeyIndex, hash, accountId);
    if (!claimed && (await this.ctx.store.hget(this.ctx.keys.apiKeyIndex, hash)) !== accountId) {
      throw DirectoryError.conflict('api_key', 'this API key belongs to another account');
    }
    await this.ctx.store.sadd(this.ctx.keys.apiKeySet(accountId), hash);
  }

  async revokeApiKey(accountId: string, plaintext: string): Promise<void> {
    const hash = sha256Hex(String(plaintext).toLowerCase());
    await this.ctx.store.hdelIf(this.ctx.keys.apiKeyIndex, hash, accountId);
    await this.ctx.store.srem(this.ctx.keys.apiKeySet(accountId), hash);
  }

  async authenticateApiKey(plaintext: string): Promise<Account> {
    const key = typeof plaintext === 'string' ? plaintext.toLowerCase() : '';
    if (!API_KEY.test(key)) throw unauthorized();
    const accountId = await this.ctx.store.hget(this.ctx.keys.apiKeyIndex, sha256Hex(key));
    return this.enabledTree(accountId);
  }

  async authenticateUser(account: AccountSelector | string, credentials: string, method: CredentialMethod = 'md5'): Promise<User> {
    const credential = typeof credentials === 'string' ? credentials.toLowerCase() : '';
    if (!Object.hasOwn(CREDENTIALS, method) || !CREDENTIALS[method].test(credential)) throw unauthorized();
    // Accounts may share a name (under different parents): the credentials decide, and must decide alone.
    const matches: User[] = [];
    for (const candidate of await loginAccounts(this.accounts, account, this.didAccount)) {
      const enabled = await this.enabledTree(candidate.id).catch(() => null);
      const user = enabled === null ? null : await this.userWithCredentials(enabled, method, credential);
      if (user !== null) matches.push(user);
    }
    if (matches.length !== 1 || matches[0] === undefined) throw unauthorized();
    return matches[0];
  }

  private async userWithCredentials(account: Account, method: CredentialMethod, credential: string): Promise<User | null> {
    // An HMAC-keyed index finds the candidate; its scrypt hash is then checked in constant time.
    const user = await this.users.verifyCredentials(account.id, method, credential);
    if (!user?.enabled) return null;
    return publicUser(user);
  }

  async issueToken(request: TokenRequest): Promise<string> {
    await this.accounts.get(request.accountId);
    if (request.ownerId !== undefined) await this.users.get(request.accountId, request.ownerId);
    // Read before the token exists: a revocation landing meanwhile leaves this token on the old generation.
    const gen = request.ownerId === undefined ? undefined : await this.generations.current(request.accountId, request.ownerId);
    const token = randomUrlSafe(32);
    const ttlMs = this.tokenTtlSeconds * 1000;
    const stored: StoredToken = { account_id: request.accountId, owner_id: request.ownerId, method: request.method, expires_at: this.ctx.now() + ttlMs, gen };
    await this.ctx.store.compareAndSet(this.ctx.keys.token(sha256Hex(token)), null, JSON.stringify(stored), ttlMs);
    return token;
  }

  async verifyToken(token: string, opts?: VerifyOptions): Promise<TokenClaims> {
    return (await this.openSession(token, opts)).claims;
  }

  async openSession(token: string, opts: VerifyOptions = {}): Promise<{ claims: TokenClaims; session: TokenSession }> {
    if (typeof token !== 'string' || token.length < 32 || token.length > 512) throw unauthorized();
    const tokenHash = sha256Hex(token);
    const key = this.ctx.keys.token(tokenHash);
    const raw = await this.ctx.store.get(key);
    if (raw === null) throw unauthorized();
    const stored = JSON.parse(raw) as StoredToken;
    if (stored.method === 'api_client') throw unauthorized();
    if (stored.expires_at <= this.ctx.now()) {
      await this.ctx.store.del([key]);
      throw unauthorized('token expired');
    }
    const [, role] = await Promise.all([this.enabledTree(stored.account_id, opts.findAccount), this.ownerRole(stored)]);
    const session: TokenSession = { tokenHash, accountId: stored.account_id, method: stored.method as AuthMethod, expiresAt: stored.expires_at, ...(stored.owner_id !== undefined ? { ownerId: stored.owner_id } : {}), ...(stored.gen !== undefined ? { generation: stored.gen } : {}) };
    return { claims: { accountId: stored.account_id, ownerId: stored.owner_id, method: stored.method as AuthMethod, expiresAt: stored.expires_at, role }, session };
  }

  async verifySession(session: TokenSession): Promise<TokenClaims> {
    if (typeof session?.tokenHash !== 'string' || (await this.ctx.store.get(this.ctx.keys.revokedToken(session.tokenHash))) !== null) throw unauthorized('token revoked');
    const stored: StoredToken = { account_id: session.accountId, owner_id: session.ownerId, method: session.method, expires_at: session.expiresAt, gen: session.generation };
    const [, role] = await Promise.all([this.enabledTree(stored.account_id), this.ownerRole(stored)]);
    return { accountId: session.accountId, ownerId: session.ownerId, method: session.method, expiresAt: session.expiresAt, role };
  }

  /** The role of the token's user, checked on every request: it must still exist, be enabled and not be revoked. */
  private async ownerRole(stored: StoredToken): Promise<'admin' | 'user'> {
    if (stored.owner_id === undefined) return 'admin';
    const [user, gen] = await Promise.all([this.users.find(stored.account_id, stored.owner_id), this.generations.current(stored.account_id, stored.owner_id)]);
    if (!user?.enabled || gen !== (stored.gen ?? 0)) throw unauthorized('token revoked');
    return user.priv_level;
  }

  revokeUserTokens(accountId: string, userId: string): Promise<void> {
    return this.generations.bump(accountId, userId);
  }

  async revokeToken(token: string): Promise<void> {
    if (typeof token !== 'string') return;
    const tokenHash = sha256Hex(token);
    const key = this.ctx.keys.token(tokenHash);
    const raw = await this.ctx.store.get(key);
    if (raw !== null) {
      // Marked before the token goes, for as long as a session opened with it may still ask (verifySession).
      const left = Math.max(0, (JSON.parse(raw) as StoredToken).expires_at - this.ctx.now());
      await this.ctx.store.compareAndSet(this.ctx.keys.revokedToken(tokenHash), null, '1', left + REVOKED_TOKEN_RETENTION_SECONDS * 1000);
    }
    await this.ctx.store.del([key]);
  }

  async authorize(claims: Pick<TokenClaims, 'accountId'>, accountId: string): Promise<void> {
    if (!(await this.accounts.isDescendant(claims.accountId, accountId))) {
      throw new DirectoryError('forbidden', 'this account is not reachable with this token', { reason: 'outside' });
    }
  }

  /** Forgets every API key of a deleted account. */
  async purge(accountId: string): Promise<void> {
    for (const hash of await this.ctx.store.smembers(this.ctx.keys.apiKeySet(accountId))) {
      await this.ctx.store.hdelIf(this.ctx.keys.apiKeyIndex, hash, accountId);
    }
    await this.ctx.store.del([this.ctx.keys.apiKeySet(accountId), this.ctx.keys.tokenGenerations(accountId)]);
  }

  /** The account, enabled, under enabled ancestors only: a disabled parent shuts its whole tree out. */
  private async enabledTree(accountId: string | null, findAccount?: (accountId: string) => Promise<Account | null>): Promise<Account> {
    const account = await enabledAccount(findAccount === undefined ? this.accounts : { find: findAccount }, accountId);
    if (account === null) throw unauthorized();
    return account;
  }
}

function unauthorized(message = 'invalid credentials'): DirectoryError {
  return new DirectoryError('unauthorized', message);
}
