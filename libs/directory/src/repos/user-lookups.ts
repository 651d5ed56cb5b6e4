import { normalizeNumber } from '../numbers/phone-number';
import { parseDidOwner, parseExtensionOwner } from '../numbering/numbering-indexes';
import type { Account } from '../schemas/account.schema';
import { EXTENSION_PATTERN } from '../schemas/numbering.schema';
import type { StoredUser, User } from '../schemas/user.schema';
import { EmailBackfill } from './email-backfill';
import type { AccountDocuments, RepoContext } from './repo-context';
import { publicUser } from './user-view';

const MAX_LOOKUP = 256;
const folded = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= MAX_LOOKUP ? v.trim().toLowerCase() : undefined);
const byAge = (a: User, b: User): number => a.created - b.created || a.id.localeCompare(b.id);

/** Finds users by what the dialects name them with. Indexes may lag a crashed write: the documents decide. */
export class UserLookups {
  private readonly backfill: EmailBackfill;

  constructor(
    private readonly ctx: RepoContext,
    private readonly docs: AccountDocuments<StoredUser>,
    private readonly getAccount: (accountId: string) => Promise<Account>,
  ) {
    this.backfill = new EmailBackfill(ctx, docs);
  }

  async byEmail(accountId: string, email: string): Promise<User | null> {
    const wanted = folded(email);
    if (wanted === undefined || wanted === '') return null;
    const found = await this.indexed(accountId, this.ctx.keys.emailIndex(accountId), wanted, (u) => folded(u.email) === wanted);
    if (found !== null || !(await this.backfill.run(accountId))) return found;
    return this.indexed(accountId, this.ctx.keys.emailIndex(accountId), wanted, (u) => folded(u.email) === wanted);
  }

  byLabel(accountId: string, label: string): Promise<User | null> {
    const wanted = folded(label);
    if (wanted === undefined || wanted === '') return Promise.resolve(null);
    return this.indexed(accountId, this.ctx.keys.labelIndex(accountId, 'user'), wanted, (u) => folded(u.label) === wanted);
  }

  async byExtension(accountId: string, extension: string): Promise<User | null> {
    const wanted = typeof extension === 'string' ? extension.trim() : '';
    if (!EXTENSION_PATTERN.test(wanted)) return null;
    const owner = parseExtensionOwner(await this.ctx.store.hget(this.ctx.keys.extensionIndex(accountId), wanted));
    return owner?.kind === 'user' ? this.checked(accountId, owner.id, (u) => u.extension === wanted) : null;
  }

  async byDid(accountId: string, number: string): Promise<User | null> {
    const e164 = await this.e164(accountId, number);
    if (e164 === undefined) return null;
    const owner = parseDidOwner(await this.ctx.store.hget(this.ctx.keys.didIndex, e164));
    return owner?.kind === 'user' && owner.accountId === accountId ? this.checked(accountId, owner.id, (u) => u.dids?.includes(e164) === true) : null;
  }

  async byMobileNumber(accountId: string, number: string): Promise<User | null> {
    const e164 = await this.e164(accountId, number);
    if (e164 === undefined) return null;
    return this.indexed(accountId, this.ctx.keys.mobileIndex(accountId), e164, (u) => u.mobile_number === e164);
  }

  /** Names are not unique: the username's user first, then every user of that full or first name (a scan of the account). */
  async allByName(accountId: string, name: string): Promise<User[]> {
    const wanted = folded(name);
    if (wanted === undefined || wanted === '') return [];
    const byUsername = await this.indexed(accountId, this.ctx.keys.usernameIndex(accountId), wanted, (u) => u.username === wanted);
    const named = (await this.docs.list(accountId))
      .filter((u) => u.id !== byUsername?.id && (folded(`${u.first_name} ${u.last_name}`) === wanted || folded(u.first_name) === wanted))
      .map(publicUser)
      .sort(byAge);
    return byUsername === null ? named : [byUsername, ...named];
  }

  private async e164(accountId: string, number: string): Promise<string | undefined> {
    const account = await this.getAccount(accountId).catch(() => null);
    return account === null ? undefined : normalizeNumber(number, account.country === undefined ? {} : { country: account.country });
  }

  private async indexed(accountId: string, hashKey: string, field: string, matches: (u: StoredUser) => boolean): Promise<User | null> {
    const id = await this.ctx.store.hget(hashKey, field);
    return id === null ? null : this.checked(accountId, id, matches);
  }

  private async checked(accountId: string, id: string, matches: (u: StoredUser) => boolean): Promise<User | null> {
    const user = await this.docs.find(accountId, id);
    return user !== null && matches(user) ? publicUser(user) : null;
  }
}
