import type { AccountRepo } from '../repos/account.repo';
import type { Account } from '../schemas/account.schema';

/** The account when it and every ancestor are enabled (a disabled parent shuts its whole tree out); null otherwise. */
export async function enabledAccount(accounts: Pick<AccountRepo, 'find'>, accountId: string | null): Promise<Account | null> {
  const account = accountId === null ? null : await accounts.find(accountId);
  if (!account?.enabled) return null;
  const ancestors = await Promise.all(account.tree.map((id) => accounts.find(id)));
  return ancestors.every((a) => a?.enabled === true) ? account : null;
}
