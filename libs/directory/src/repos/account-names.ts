import { sha256Hex } from '../credentials/hashing';
import type { UniqueIndex } from '../documents/document-writer';
import type { Account } from '../schemas/account.schema';
import type { RepoContext } from './repo-context';

const lower = (name: string): string => name.trim().toLowerCase();

/**
 * Account names: unique among siblings only (so a clash never tells anything about another tree),
 * plus a lookup from a name to every account bearing it, for user_auth by account_name.
 */
export class AccountNames {
  readonly unique: UniqueIndex<Account>;

  constructor(private readonly ctx: RepoContext) {
    this.unique = {
      field: 'name',
      hashKey: (a) => (a.parent_id === null ? ctx.keys.rootNameIndex : ctx.keys.childNameIndex(a.parent_id)),
      value: (a) => lower(a.name),
      owner: (a) => a.id,
    };
  }

  /** Keeps the name lookup in step with a create (prev undefined), rename or delete (next undefined). */
  async index(prev: Account | undefined, next: Account | undefined): Promise<void> {
    if (prev !== undefined && next !== undefined && lower(prev.name) === lower(next.name)) return;
    if (prev !== undefined) await this.ctx.store.srem(this.key(prev.name), prev.id);
    if (next !== undefined) await this.ctx.store.sadd(this.key(next.name), next.id);
  }

  /** Ids that may bear the name; the caller checks the documents (an entry can outlive a crashed write). */
  async idsNamed(name: string): Promise<string[]> {
    const [ids, legacy] = await Promise.all([this.ctx.store.smembers(this.key(name)), this.ctx.store.hget(this.ctx.keys.legacyAccountNameIndex, lower(name))]);
    return legacy === null || ids.includes(legacy) ? ids : [...ids, legacy];
  }

  private key(name: string): string {
    return this.ctx.keys.accountsNamed(sha256Hex(lower(name)));
  }
}
