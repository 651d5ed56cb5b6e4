import type { Account, Directory } from '@legwork/directory';
import type { KazooRequest } from './kazoo.contract';

const LOADED = Symbol('kazooAccounts');
type WithAccounts = KazooRequest & { [LOADED]?: Map<string, Account | null> };

/** The account a request addresses, read from the directory once per request however many guards ask. */
export async function requestAccount(req: KazooRequest, directory: Directory, accountId: string): Promise<Account | null> {
  const memo = ((req as WithAccounts)[LOADED] ??= new Map());
  if (!memo.has(accountId)) memo.set(accountId, await directory.accounts.find(accountId));
  return memo.get(accountId) ?? null;
}
