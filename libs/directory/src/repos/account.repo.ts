import { newId } from '@legwork/common';
import { DirectoryError } from '../directory.error';
import { systemOf, type UniqueIndex, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { type Account, accountSchema } from '../schemas/account.schema';
import type { z } from 'zod';
import type { RepoContext } from './repo-context';

type AccountFields = z.output<typeof accountSchema>;

export interface AccountRepo {
  /** Creates a root account, or a sub-account of `parentId`. The first root account becomes the master. */
  create(input: unknown, parentId?: string): Promise<Account>;
  get(id: string): Promise<Account>;
  find(id: string): Promise<Account | null>;
  findByName(name: string): Promise<Account | null>;
  findByRealm(realm: string): Promise<Account | null>;
  getMaster(): Promise<Account | null>;
  listChildren(id: string): Promise<Account[]>;
  /** Kazoo POST: the whole document is replaced (parent and tree are kept). */
  replace(id: string, input: unknown, opts?: WriteOptions): Promise<Account>;
  /** Kazoo PATCH: JSON merge patch onto the stored document. */
  patch(id: string, input: unknown, opts?: WriteOptions): Promise<Account>;
  /** Deletes the account and everything in it; `conflict` while it has sub-accounts. */
  delete(id: string): Promise<void>;
  /** True when `accountId` is `ancestorId` or lies below it; false for unknown accounts. */
  isDescendant(ancestorId: string, accountId: string): Promise<boolean>;
}

export class AccountRepository implements AccountRepo {
  private readonly uniques: UniqueIndex<Account>[];

  constructor(
    private readonly ctx: RepoContext,
    private readonly purgeAccount: (accountId: string) => Promise<void>,
    /** True while the account's realm may not change: its devices' digest HA1s were hashed with it. */
    private readonly realmPinned: (accountId: string) => Promise<boolean> = async () => false,
  ) {
    this.uniques = [
      { field: 'name', hashKey: () => ctx.keys.accountNameIndex, value: (a) => a.name.toLowerCase(), owner: (a) => a.id },
      { field: 'realm', hashKey: () => ctx.keys.accountRealmIndex, value: (a) => a.realm, owner: (a) => a.id },
    ];
  }

  async create(input: unknown, parentId?: string): Promise<Account> {
    const fields = parseDocument(accountSchema, input);
    const parent = parentId === undefined ? null : await this.get(parentId);
    const id = newId();
    const account: Account = {
      ...fields,
      parent_id: parent?.id ?? null,
      tree: parent ? [...parent.tree, parent.id] : [],
      ...this.ctx.writer.stamp(id),
    };
    await this.ctx.writer.insert(this.ctx.keys.account(id), account, this.uniques);
    if (parent) await this.ctx.store.sadd(this.ctx.keys.children(parent.id), id);
    else await this.ctx.store.compareAndSet(this.ctx.keys.master, null, id);
    return account;
  }

  async find(id: string): Promise<Account | null> {
    return (await this.ctx.writer.read<Account>(this.ctx.keys.account(id)))?.doc ?? null;
  }

  async get(id: string): Promise<Account> {
    const account = await this.find(id);
    if (!account) throw DirectoryError.notFound('account', id);
    return account;
  }

  async findByName(name: string): Promise<Account | null> {
    return this.findVia(this.ctx.keys.accountNameIndex, name.trim().toLowerCase());
  }

  async findByRealm(realm: string): Promise<Account | null> {
    return this.findVia(this.ctx.keys.accountRealmIndex, realm.trim().toLowerCase());
  }

  async getMaster(): Promise<Account | null> {
    const id = await this.ctx.store.get(this.ctx.keys.master);
    return id === null ? null : this.find(id);
  }

  async listChildren(id: string): Promise<Account[]> {
    await this.get(id);
    const ids = await this.ctx.store.smembers(this.ctx.keys.children(id));
    const children = await this.ctx.writer.readMany<Account>(ids.map((c) => this.ctx.keys.account(c)));
    return children.sort((a, b) => a.name.localeCompare(b.name));
  }

  async replace(id: string, input: unknown, opts?: WriteOptions): Promise<Account> {
    const fields = parseDocument(accountSchema, input);
    return this.write(id, () => fields, opts);
  }

  async patch(id: string, input: unknown, opts?: WriteOptions): Promise<Account> {
    return this.write(id, (current) => parseDocument(accountSchema, mergePatch(current, input)), opts);
  }

  async delete(id: string): Promise<void> {
    if ((await this.listChildren(id)).length > 0) {
      throw DirectoryError.conflict('children', `account ${id} has sub-accounts; delete them first`);
    }
    const account = await this.ctx.writer.remove<Account>(this.ctx.keys.account(id), 'account', id, this.uniques);
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
    const { next } = await this.ctx.writer.update<Account>(
      this.ctx.keys.account(id),
      'account',
      id,
      async (current) => {
        const next = build(current);
        if (next.realm !== current.realm && (await this.realmPinned(id))) {
          throw DirectoryError.conflict('realm', `account ${id} has devices whose SIP credentials are bound to realm ${current.realm}; delete them (or move them) before changing realm`);
        }
        return { ...next, parent_id: current.parent_id, tree: current.tree, ...systemOf(current) };
      },
      this.uniques,
      opts,
    );
    return next;
  }

  private async findVia(indexKey: string, field: string): Promise<Account | null> {
    const id = await this.ctx.store.hget(indexKey, field);
    return id === null ? null : this.find(id);
  }
}
