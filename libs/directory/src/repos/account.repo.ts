import { newId } from '@legwork/common';
import { DirectoryError } from '../directory.error';
import { systemOf, type UniqueIndex, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { type Account, accountSchema } from '../schemas/account.schema';
import { EXTENSION_PREFIX_PATTERN } from '../schemas/numbering.schema';
import type { z } from 'zod';
import { aliasAccountInput, asSent, currentAccountDoc } from './account-limit-aliases';
import { limitViolations, sameLimits } from './account-limits';
import { AccountNames } from './account-names';
import type { RepoContext } from './repo-context';

type AccountFields = z.output<typeof accountSchema>;

export interface AccountRepo {
  /** Creates a root account, or a sub-account of `parentId`. The first root account becomes the master. */
  create(input: unknown, parentId?: string): Promise<Account>;
  get(id: string): Promise<Account>;
  find(id: string): Promise<Account | null>;
  /** The one account with this name (case-insensitive); null when none or several (names repeat across parents). */
  findByName(name: string): Promise<Account | null>;
  /** Every account with this name, oldest first. */
  findAllByName(name: string): Promise<Account[]>;
  findByRealm(realm: string): Promise<Account | null>;
  /** The account whose `extension_prefix` this is (`0003` of `0003*210`). */
  findByExtensionPrefix(prefix: string): Promise<Account | null>;
  getMaster(): Promise<Account | null>;
  listChildren(id: string): Promise<Account[]>;
  /** Kazoo POST: the whole document is replaced (parent and tree are kept). */
  replace(id: string, input: unknown, opts?: WriteOptions): Promise<Account>;
  /** Kazoo PATCH: JSON merge patch onto the stored document. */
  patch(id: string, input: unknown, opts?: WriteOptions): Promise<Account>;
  /** Deletes the account and everything in it; `conflict` while it has sub-accounts, `forbidden` for the master. */
  delete(id: string): Promise<void>;
  /** True when `accountId` is `ancestorId` or lies below it; false for unknown accounts. */
  isDescendant(ancestorId: string, accountId: string): Promise<boolean>;
}

export class AccountRepository implements AccountRepo {
  private readonly uniques: UniqueIndex<Account>[];
  private readonly names: AccountNames;

  constructor(
    private readonly ctx: RepoContext,
    private readonly purgeAccount: (accountId: string) => Promise<void>,
  ) {
    this.names = new AccountNames(ctx);
    // Realms are unique platform-wide (SIP finds accounts by them); names only among siblings.
    this.uniques = [
      this.names.unique,
      { field: 'realm', hashKey: () => ctx.keys.accountRealmIndex, value: (a) => a.realm, owner: (a) => a.id },
      // extended numbers (`0003*210`) find their account by the prefix alone
      { field: 'extension_prefix', hashKey: () => ctx.keys.extensionPrefixIndex, value: (a) => a.extension_prefix, owner: (a) => a.id },
    ];
  }

  async create(input: unknown, parentId?: string): Promise<Account> {
    const aliased = aliasAccountInput(input);
    return asSent(aliased.used, () => this.insert(aliased.input, parentId));
  }

  private async insert(input: unknown, parentId?: string): Promise<Account> {
    const fields = parseDocument(accountSchema, input);
    const parent = parentId === undefined ? null : await this.get(parentId);
    const ancestors = parent === null ? [] : [parent, ...(await this.ancestorsOf(parent))];
    const tooHigh = limitViolations(fields.limits, ancestors, []);
    if (tooHigh.length > 0) throw DirectoryError.invalid(tooHigh);
    const id = newId();
    const account: Account = {
      ...fields,
      parent_id: parent?.id ?? null,
      tree: parent ? [...parent.tree, parent.id] : [],
      ...this.ctx.writer.stamp(id),
    };
    await this.ctx.writer.insert(this.ctx.keys.account(id), account, this.uniques);
    await this.names.index(undefined, account);
    if (parent) await this.ctx.store.sadd(this.ctx.keys.children(parent.id), id);
    else await this.ctx.store.compareAndSet(this.ctx.keys.master, null, id);
    return account;
  }

  async find(id: string): Promise<Account | null> {
    const stored = await this.ctx.writer.read<Account>(this.ctx.keys.account(id));
    return stored === null ? null : currentAccountDoc(stored.doc);
  }

  async get(id: string): Promise<Account> {
    const account = await this.find(id);
    if (!account) throw DirectoryError.notFound('account', id);
    return account;
  }

  async findByName(name: string): Promise<Account | null> {
    const all = await this.findAllByName(name);
    return all.length === 1 ? (all[0] ?? null) : null;
  }

  async findAllByName(name: string): Promise<Account[]> {
    const wanted = name.trim().toLowerCase();
    const found = (await this.ctx.writer.readMany<Account>((await this.names.idsNamed(name)).map((id) => this.ctx.keys.account(id)))).map(currentAccountDoc);
    return found.filter((a) => a.name.toLowerCase() === wanted).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  async findByRealm(realm: string): Promise<Account | null> {
    const id = await this.ctx.store.hget(this.ctx.keys.accountRealmIndex, realm.trim().toLowerCase());
    return id === null ? null : this.find(id);
  }

  async findByExtensionPrefix(prefix: string): Promise<Account | null> {
    if (typeof prefix !== 'string' || !EXTENSION_PREFIX_PATTERN.test(prefix)) return null;
    const id = await this.ctx.store.hget(this.ctx.keys.extensionPrefixIndex, prefix);
    const account = id === null ? null : await this.find(id);
    return account?.extension_prefix === prefix ? account : null;
  }

  async getMaster(): Promise<Account | null> {
    const id = await this.ctx.store.get(this.ctx.keys.master);
    return id === null ? null : this.find(id);
  }

  async listChildren(id: string): Promise<Account[]> {
    await this.get(id);
    const ids = await this.ctx.store.smembers(this.ctx.keys.children(id));
    const children = (await this.ctx.writer.readMany<Account>(ids.map((c) => this.ctx.keys.account(c)))).map(currentAccountDoc);
    return children.sort((a, b) => a.name.localeCompare(b.name));
  }

  async replace(id: string, input: unknown, opts?: WriteOptions): Promise<Account> {
    const aliased = aliasAccountInput(input);
    return asSent(aliased.used, () => {
      const fields = parseDocument(accountSchema, aliased.input);
      return this.write(id, () => fields, opts);
    });
  }

  async patch(id: string, input: unknown, opts?: WriteOptions): Promise<Account> {
    const aliased = aliasAccountInput(input);
    return asSent(aliased.used, () => this.write(id, (current) => parseDocument(accountSchema, mergePatch(current, aliased.input)), opts));
  }

  async delete(id: string): Promise<void> {
    if (await this.isMaster(id)) throw new DirectoryError('forbidden', 'the master account cannot be deleted', { reason: 'master' });
    if ((await this.listChildren(id)).length > 0) {
      throw DirectoryError.conflict('children', `account ${id} has sub-accounts; delete them first`);
    }
    const account = await this.ctx.writer.remove<Account>(this.ctx.keys.account(id), 'account', id, this.uniques);
    await this.names.index(account, undefined);
    await this.purgeAccount(id);
    await this.ctx.store.del([this.ctx.keys.children(id)]);
    if (account.parent_id) await this.ctx.store.srem(this.ctx.keys.children(account.parent_id), id);
    else await this.ctx.store.compareAndDelete(this.ctx.keys.master, id);
  }

  async isDescendant(ancestorId: string, accountId: string): Promise<boolean> {
    const account = await this.find(accountId);
    if (!account) return false;
    return account.id === ancestorId || account.tree.includes(ancestorId);
  }

  private async write(id: string, build: (current: Account) => AccountFields, opts?: WriteOptions): Promise<Account> {
    const { prev, next } = await this.ctx.writer.update<Account>(
      this.ctx.keys.account(id),
      'account',
      id,
      async (stored) => {
        const current = currentAccountDoc(stored);
        const fields = build(current);
        await this.checkWrite(current, fields);
        return { ...fields, parent_id: current.parent_id, tree: current.tree, ...systemOf(current) };
      },
      this.uniques,
      opts,
    );
    await this.names.index(prev, next);
    return next;
  }

  /** What a write may not do: disable the master, move a realm its devices hold, break the limits of the tree. */
  private async checkWrite(current: Account, fields: AccountFields): Promise<void> {
    if (!fields.enabled && (await this.isMaster(current.id))) {
      throw new DirectoryError('forbidden', 'the master account cannot be disabled', { field: 'enabled', reason: 'master' });
    }
    // Devices keep the realm they were written with (their digest HA1s hash it): moving it would also leave them under a realm another account can take.
    if (fields.realm !== current.realm && (await this.ctx.store.smembers(this.ctx.keys.docSet(current.id, 'device'))).length > 0) {
      throw DirectoryError.invalidField('realm', 'immutable', 'cannot change while the account has devices');
    }
    if (sameLimits(fields.limits, current.limits)) return;
    const [ancestors, children] = await Promise.all([this.ancestorsOf(current), this.listChildren(current.id)]);
    const violations = limitViolations(fields.limits, ancestors, children);
    if (violations.length > 0) throw DirectoryError.invalid(violations);
  }

  /** Parent first, up to the root. */
  private async ancestorsOf(account: Account): Promise<Account[]> {
    const found = await Promise.all([...account.tree].reverse().map((ancestorId) => this.find(ancestorId)));
    return found.filter((a): a is Account => a !== null);
  }

  private async isMaster(id: string): Promise<boolean> {
    return (await this.ctx.store.get(this.ctx.keys.master)) === id;
  }
}
