import type { AccountRepo } from '../repos/account.repo';
import type { UserRepo } from '../repos/user.repo';
import type { ApiClientDialect } from '../schemas/api-client.schema';
import type { AuthAttempt, AuthThrottle } from '../throttle/auth-throttle';
import type { ApiClientRepository } from './api-client.repo';
import { type ClientPrincipal, principalOf } from './client-principal';

/**
 * What a client presents: `clientId` + `secret` (OAuth client_credentials), `realm` + `secret` (HTTP Basic
 * `DOMAIN_NAME:API_TOKEN`, the domain being the account's realm), or the bare `secret` (Bearer).
 */
export type ClientCredentials = { clientId: string; secret: string } | { realm: string; secret: string } | { secret: string };

export type ClientAuthResult = { ok: true; principal: ClientPrincipal } | { ok: false; reason: 'invalid_client' } | { ok: false; reason: 'throttled'; retryAfterMs: number };

export interface ClientAuthRequest {
  /** The dialect the credentials were presented to: another dialect's client fails like a wrong secret. */
  dialect: ApiClientDialect;
  /** The peer's address, for the failed-authentication throttle. */
  source: string;
}

const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);

/** Authenticates API clients through the shared failed-authentication throttle (surface `rest`). */
export class ClientAuthenticator {
  constructor(
    private readonly deps: { accounts: AccountRepo; users: UserRepo; clients: ApiClientRepository },
    private readonly throttle: AuthThrottle,
  ) {}

  async authenticate(credentials: ClientCredentials, req: ClientAuthRequest): Promise<ClientAuthResult> {
    const given = (credentials ?? {}) as Record<string, unknown>;
    const secret = text(given['secret'], 256) ?? '';
    const clientId = text(given['clientId'], 64);
    const realm = text(given['realm'], 253);
    // The secret's first characters identify the attempt in logs and counts; they never name a client anyone could lock out.
    const attempt: AuthAttempt = { surface: 'rest', source: req.source, username: secret.slice(0, 8), realm: clientId ?? realm ?? req.dialect };
    const verdict = await this.throttle.check(attempt);
    if (!verdict.allowed) return { ok: false, reason: 'throttled', retryAfterMs: verdict.retryAfterMs };
    const principal = await this.verify(secret, clientId, realm, given, req.dialect);
    if (principal === null) {
      await this.throttle.failed(attempt, 'bad_client_credentials');
      return { ok: false, reason: 'invalid_client' };
    }
    await this.throttle.succeeded(attempt);
    return { ok: true, principal };
  }

  private async verify(secret: string, clientId: string | undefined, realm: string | undefined, given: Record<string, unknown>, dialect: ApiClientDialect): Promise<ClientPrincipal | null> {
    // a credential named but unreadable (a number, too long) is a wrong one, not a bare secret
    if (('clientId' in given && clientId === undefined) || ('realm' in given && realm === undefined)) return null;
    const stored = await this.deps.clients.locate(secret);
    if (stored === null) return null;
    if (clientId !== undefined && clientId !== stored.id) return null;
    const principal = await principalOf(this.deps, stored, dialect);
    if (principal === null) return null;
    if (realm !== undefined && realm.trim().toLowerCase() !== principal.account.realm) return null;
    return principal;
  }
}
