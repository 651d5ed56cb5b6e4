import type { StoredUser } from '../schemas/user.schema';
import type { AccountDocuments, RepoContext } from './repo-context';

/**
 * Emails became unique per account after users already had them: the first email lookup that misses in an
 * account indexes the users written before (emails held by one user only; duplicates stay out of the index),
 * once, then marks the account done.
 */
export class EmailBackfill {
  constructor(
    private readonly ctx: RepoContext,
    private readonly docs: AccountDocuments<StoredUser>,
  ) {}

  /** True when this call indexed the account (a retry of the lookup may now find what it missed). */
  async run(accountId: string): Promise<boolean> {
    const flag = this.ctx.keys.emailIndexBackfilled(accountId);
    if ((await this.ctx.store.get(flag)) !== null) return false;
    const users = await this.docs.list(accountId);
    const holders = new Map<string, string[]>();
    for (const user of users) {
      const email = user.email?.trim().toLowerCase();
      if (email !== undefined) holders.set(email, [...(holders.get(email) ?? []), user.id]);
    }
    for (const [email, ids] of holders) {
      // HSETNX: a user written meanwhile keeps the claim its own write made
      if (ids.length === 1) await this.ctx.store.hsetnx(this.ctx.keys.emailIndex(accountId), email, ids[0] as string);
    }
    await this.ctx.store.compareAndSet(flag, null, '1');
    return true;
  }
}
