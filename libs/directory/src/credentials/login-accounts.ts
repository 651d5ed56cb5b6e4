import type { AccountRepo } from '../repos/account.repo';
import type { Account } from '../schemas/account.schema';

/** Which account a user logs into: Kazoo's account_realm and account_name, each looked up only as what it is. */
export interface AccountSelector {
  realm?: string;
  name?: string;
}

/** Same-named accounts tried at most per login: names repeat only across parents. */
export const MAX_NAME_CANDIDATES = 20;

/**
 * The accounts a login may mean: the one holding the realm (realm first), else every account of that name.
 * A bare string (older callers) is tried as a realm, then as a name.
 */
export async function loginAccounts(accounts: AccountRepo, selector: AccountSelector | string): Promise<Account[]> {
  const { realm, name } = typeof selector === 'string' ? { realm: selector, name: selector } : selector;
  if (typeof realm === 'string') {
    const byRealm = await accounts.findByRealm(realm);
    if (byRealm !== null) return [byRealm];
  }
  if (typeof name !== 'string') return [];
  return (await accounts.findAllByName(name)).slice(0, MAX_NAME_CANDIDATES);
}
