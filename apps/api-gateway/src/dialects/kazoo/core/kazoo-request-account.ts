import type { Account, Directory } from '@legwork/directory';
import type { KazooRequest } from './kazoo.contract';

const LOADED = Symbol('kazooAccounts');
type WithAccounts = KazooRequest & { [LOADED]?: Map<string, Promise<Account | null>> };

/** The account a request addresses, read from the directory once per request however many guards (or concurrent reads) ask. */
export function requestAccount(req: KazooRequest, directory: Directory, accountId: string): Promise<Account | null> {
  const memo = ((req as WithAccounts)[LOADED] ??= new Map());
  let loading = memo.get(accountId);
  if (loading === undefined) {
    loading = directory.accounts.find(accountId);
    memo.set(accountId, loading);
  }
  return loading;
}

/** Starts reading the account while other checks run; a failure surfaces only to whoever awaits it later. */
export function prefetchAccount(req: KazooRequest, directory: Directory, accountId: string): void {
  requestAccount(req, directory, accountId).catch(() => undefined);
}
