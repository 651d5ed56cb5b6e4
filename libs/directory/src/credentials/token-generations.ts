import type { RepoContext } from '../repos/repo-context';

/**
 * A counter per user (and per API client, as `client:<id>`), stamped into every token issued for it: bumping it
 * revokes all of its tokens at once, and a token issued while it is bumped carries the old value, so none survives.
 */
export class TokenGenerations {
  constructor(private readonly ctx: RepoContext) {}

  async current(accountId: string, subject: string): Promise<number> {
    return Number((await this.ctx.store.hget(this.ctx.keys.tokenGenerations(accountId), subject)) ?? '0');
  }

  async bump(accountId: string, subject: string): Promise<void> {
    await this.ctx.store.hincrby(this.ctx.keys.tokenGenerations(accountId), subject, 1);
  }
}

/** The generation field of an API client (user ids are 32 hex characters, so the two never meet). */
export function clientSubject(clientId: string): string {
  return `client:${clientId}`;
}
