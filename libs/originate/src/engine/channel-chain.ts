import type { ChannelCap } from '@legwork/call-state';
import type { Account, Directory } from '@legwork/directory';

/** An account without a channel limit still holds its channels, so they count once a limit is set. */
const UNLIMITED = 1_000_000_000;

/**
 * Where a call of this account holds channels: the account itself, then each ancestor with a
 * max_concurrent_channels (nearest first), so a parent's limit counts its sub-accounts' calls.
 * A directory that cannot be read leaves only the account, unlimited, as before. `known`: the account already being read.
 */
export async function channelChainOf(directory: Directory, accountId: string, known?: Promise<Account | null>): Promise<ChannelCap[]> {
  const account = await (known ?? directory.accounts.find(accountId)).catch(() => null);
  const own: ChannelCap = { accountId, limit: account?.limits.max_concurrent_channels ?? UNLIMITED };
  if (account === null) return [own];
  const ancestors = await Promise.all([...account.tree].reverse().map((id) => directory.accounts.find(id).catch(() => null)));
  const capping = ancestors.filter((a): a is Account & { limits: { max_concurrent_channels: number } } => a?.limits.max_concurrent_channels !== undefined);
  return [own, ...capping.map((a) => ({ accountId: a.id, limit: a.limits.max_concurrent_channels }))];
}
