import type { RepoContext } from '../repos/repo-context';

/**
 * A counter per user, stamped into every token issued for it: bumping it revokes all of the user's
 * tokens at once, and a token issued while it is bumped carries the old value, so none survives.
 */
export class TokenGenerations {
  constructor(private readonly ctx: RepoContext) {}

  async current(accountId: string, userId: string): Promise<number> {
    return Number((await this.ctx.store.hget(this.ctx.keys.tokenGenerations(accountId), userId)) ?? '0');
  }

  async bump(accountId: string, userId: string): Promise<void> {
    await this.ctx.store.hincrby(this.ctx.keys.tokenGenerations(accountId), userId, 1);
  }
}
