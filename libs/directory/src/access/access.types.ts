import type { AuthMethod } from '../credentials/credential.service';
import type { Account } from '../schemas/account.schema';
import type { Operation } from './access-rules';

/** Account admins (API keys, users with priv_level admin) manage their account tree; plain users only what is theirs. */
export type Role = 'admin' | 'user';

/** Who is asking, as every dialect hands it to the policy after verifying a token. */
export interface Caller {
  accountId: string;
  /** The user behind a user_auth token, or the user an API client (app) is registered to. */
  userId?: string;
  role: Role;
  method: AuthMethod | 'api_client';
  /** The API client behind the request (VoipNow, Basix, X-on, Netaxis apps). */
  clientId?: string;
}

/** Who a call, a channel or a CDR belongs to: the users and devices it was placed for. */
export interface Ownership {
  userIds: string[];
  deviceIds: string[];
}

/** What the caller may see of a listing: everything, or what belongs to one user and its devices. */
export type Scope = { all: true } | { all: false; userId: string; deviceIds: string[] };

/** A granted request: the caller (null for anonymous quickcalls and logins) and the scope of what it sees. */
export interface Grant {
  caller: Caller | null;
  scope: Scope;
}

export interface AccessRequest {
  operation: Operation;
  /** The account the request addresses; absent for session operations. */
  accountId?: string;
  /** The account document when the dialect already loaded it (null: unknown id), to spare a read. */
  account?: Account | null;
  /** The user or device addressed (user.*, device.*, originate.*). */
  targetId?: string;
  /** Loads who owns the call or CDR addressed (call.*, cdr.*); null when there is none in this account. */
  owned?: () => Promise<Ownership | null>;
}
