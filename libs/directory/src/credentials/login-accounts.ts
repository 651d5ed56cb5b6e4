import type { AccountRepo } from '../repos/account.repo';
import type { Account } from '../schemas/account.schema';

/** Which account a user logs into: Kazoo's phone_number, account_realm and account_name, each looked up only as what it is. */
export interface AccountSelector {
  realm?: string;
  name?: string;
  /** A DID of one of the account's users or groups. */
  phoneNumber?: string;
}

/** The account owning a DID, platform-wide (the numbering plan's findDid). */
export type DidAccountLookup = (number: string) => Promise<{ accountId: string } | null>;

/** Same-named accounts tried at most per login: names repeat only across parents. */
export const MAX_NAME_CANDIDATES = 20;

/**
 * The accounts a login may mean, in cb_user_auth's order: the one owning the phone number, else the one holding
 * the realm, else every account of that name. A bare string (older callers) is tried as a realm, then as a name.
 */
export async function loginAccounts(accounts: AccountRepo, selector: AccountSelector | string, didAccount?: DidAccountLookup): Promise<Account[]> {
  const { realm, name, phoneNumber } = typeof selector === 'string' ? { realm: selector, name: selector, phoneNumber: undefined } : selector;
  if (typeof phoneNumber === 'string' && didAccount !== undefined) {
    const owner = await didAccount(phoneNumber);
    const byNumber = owner === null ? null : await accounts.find(owner.accountId);
    if (byNumber !== null) return [byNumber];
  }
  if (typeof realm === 'string') {
    const byRealm = await accounts.findByRealm(realm);
    if (byRealm !== null) return [byRealm];
  }
  if (typeof name !== 'string') return [];
  return (await accounts.findAllByName(name)).slice(0, MAX_NAME_CANDIDATES);
}
