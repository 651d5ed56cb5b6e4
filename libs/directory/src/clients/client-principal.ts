import type { Role } from '../access/access.types';
import { enabledAccount } from '../credentials/enabled-account';
import type { AccountRepo } from '../repos/account.repo';
import type { UserRepo } from '../repos/user.repo';
import type { Account } from '../schemas/account.schema';
import type { ApiClient, ApiClientDialect, StoredApiClient } from '../schemas/api-client.schema';
import type { User } from '../schemas/user.schema';
import { publicClient } from './api-client.repo';

/** Who an authenticated API client is: its account, itself, the user it is registered to (if any), its dialect. */
export interface ClientPrincipal {
  accountId: string;
  clientId: string;
  dialect: ApiClientDialect;
  /** The user the app is registered to; absent for an organization (account) app. */
  ownerId?: string;
  /** admin for an organization app; for a user's app the user's priv_level, read now. */
  role: Role;
  account: Account;
  client: ApiClient;
  owner?: User;
}

/**
 * The principal of a stored client presented to `dialect`, or null: another dialect's client, an account or
 * ancestor disabled or gone, an owner disabled or gone all fail alike.
 */
export async function principalOf(deps: { accounts: AccountRepo; users: UserRepo }, stored: StoredApiClient, dialect: string): Promise<ClientPrincipal | null> {
  if (stored.dialect !== dialect) return null;
  const account = await enabledAccount(deps.accounts, stored.account_id);
  if (account === null) return null;
  const client = publicClient(stored);
  const base = { accountId: account.id, clientId: client.id, dialect: stored.dialect, account, client };
  if (stored.owner_id === undefined) return { ...base, role: 'admin' };
  const owner = await deps.users.find(account.id, stored.owner_id);
  if (owner === null || !owner.enabled) return null;
  return { ...base, ownerId: owner.id, role: owner.priv_level, owner };
}
