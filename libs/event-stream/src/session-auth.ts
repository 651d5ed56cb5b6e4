import { callerOf, isDirectoryError, type Directory, type Scope, type TokenClaims, type TokenSession } from '@legwork/directory';
import { EventStreamError } from './event-stream.error';

const ACCOUNT_ID = /^[0-9a-f]{32}$/;

/**
 * Who a socket is. Like Kazoo's blackhole it authenticates once, with the first token it is given, and
 * later frames need none (a later token is ignored). Unlike Kazoo it can be re-verified: `reverify`
 * fails once the token was revoked or its user or account tree disabled or deleted, never because the
 * token merely expired.
 */
export class SessionAuth {
  private session: TokenSession | undefined;
  private claims: TokenClaims | undefined;

  constructor(private readonly directory: Directory) {}

  get authenticated(): boolean {
    return this.session !== undefined;
  }

  /** Authenticates with `token` unless already authenticated (bh_token_auth:authenticate/3 and its texts). */
  async authenticate(token: string | undefined): Promise<void> {
    if (this.session !== undefined) return;
    if (token === undefined) throw new EventStreamError('unauthorized', 'authentication token required');
    try {
      const opened = await this.directory.credentials.openSession(token);
      this.session = opened.session;
      this.claims = opened.claims;
    } catch (err) {
      // The token is never echoed back (Kazoo appends it to this text).
      if (isDirectoryError(err, 'unauthorized')) throw new EventStreamError('unauthorized', 'failed to authenticate token');
      throw err;
    }
  }

  /** Re-reads the session's user, role and account tree; `unauthorized` once any of them says no. */
  async reverify(): Promise<void> {
    if (this.session === undefined) return;
    try {
      this.claims = await this.directory.credentials.verifySession(this.session);
    } catch (err) {
      if (isDirectoryError(err, 'unauthorized')) throw new EventStreamError('unauthorized', 'credentials revoked');
      throw err;
    }
  }

  /** What the socket may see of the account's calls (`event.subscribe`: a plain user only its own), or `forbidden`. */
  async scopeFor(accountId: string): Promise<Scope> {
    const claims = this.claims;
    if (claims === undefined) throw new EventStreamError('unauthorized', 'auth_account_id not set');
    if (accountId === '*') throw new EventStreamError('forbidden', 'unauthorized wildcard account id');
    // Not an account id: refused like a foreign account, without a lookup.
    if (!ACCOUNT_ID.test(accountId)) throw new EventStreamError('forbidden', 'unauthorized account id');
    try {
      return (await this.directory.access.authorize(callerOf(claims), { operation: 'event.subscribe', accountId })).scope;
    } catch (err) {
      if (isDirectoryError(err, 'forbidden') || isDirectoryError(err, 'unauthorized')) throw new EventStreamError('forbidden', 'unauthorized account id');
      throw err;
    }
  }
}
