import { newId } from '@legwork/common';
import type { z } from 'zod';
import { md5Credentials } from '../credentials/hashing';
import { DirectoryError } from '../directory.error';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { type StoredUser, type User, userSchema } from '../schemas/user.schema';
import { AccountDocuments, type RepoContext } from './repo-context';

export interface UserRepo {
  create(accountId: string, input: unknown): Promise<User>;
  get(accountId: string, userId: string): Promise<User>;
  find(accountId: string, userId: string): Promise<User | null>;
  findByUsername(accountId: string, username: string): Promise<User | null>;
  list(accountId: string): Promise<User[]>;
  replace(accountId: string, userId: string, input: unknown, opts?: WriteOptions): Promise<User>;
  patch(accountId: string, userId: string, input: unknown, opts?: WriteOptions): Promise<User>;
  /** Deletes the user; its devices stay in the account with owner_id cleared, and it leaves every group. */
  delete(accountId: string, userId: string): Promise<void>;
}

type UserFields = z.output<typeof userSchema>;

export class UserRepository implements UserRepo {
  readonly docs: AccountDocuments<StoredUser>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly requireAccount: (accountId: string) => Promise<unknown>,
    private readonly onDeleted: (accountId: string, userId: string) => Promise<void>,
    /** Revokes every token of the user: called after a password is set and after the user is disabled. */
    private readonly revokeTokens: (accountId: string, userId: string) => Promise<void> = async () => undefined,
  ) {
    this.docs = new AccountDocuments<StoredUser>(ctx, 'user', [
      { field: 'username', hashKey: (u) => ctx.keys.usernameIndex(u.account_id), value: (u) => u.username, owner: (u) => u.id },
    ]);
  }

  async create(accountId: string, input: unknown): Promise<User> {
    const fields = parseDocument(userSchema, input);
    await this.requireAccount(accountId);
    const id = newId();
    const user: StoredUser = { ...this.body(fields, undefined), account_id: accountId, ...this.ctx.writer.stamp(id) };
    await this.docs.insert(user);
    await this.indexCredentials(undefined, user);
    return publicUser(user);
  }

  async find(accountId: string, userId: string): Promise<User | null> {
    const user = await this.docs.find(accountId, userId);
    return user && publicUser(user);
  }

  async get(accountId: string, userId: string): Promise<User> {
    return publicUser(await this.docs.get(accountId, userId));
  }

  async findByUsername(accountId: string, username: string): Promise<User | null> {
    const id = await this.ctx.store.hget(this.ctx.keys.usernameIndex(accountId), username.trim().toLowerCase());
    return id === null ? null : this.find(accountId, id);
  }

  /** The stored user (with its credentials hash) whose md5 credentials are `md5`. */
  async findByCredentials(accountId: string, md5: string): Promise<StoredUser | null> {
    const id = await this.ctx.store.hget(this.ctx.keys.md5Index(accountId), md5);
    return id === null ? null : this.docs.find(accountId, id);
  }

  async list(accountId: string): Promise<User[]> {
    await this.requireAccount(accountId);
    return (await this.docs.list(accountId)).map(publicUser);
  }

  async replace(accountId: string, userId: string, input: unknown, opts?: WriteOptions): Promise<User> {
    const fields = parseDocument(userSchema, input);
    return this.write(accountId, userId, () => fields, opts);
  }

  async patch(accountId: string, userId: string, input: unknown, opts?: WriteOptions): Promise<User> {
    return this.write(accountId, userId, (current) => parseDocument(userSchema, mergePatch(publicUser(current), input)), opts);
  }

  async delete(accountId: string, userId: string): Promise<void> {
    const user = await this.docs.remove(accountId, userId);
    await this.indexCredentials(user, undefined);
    await this.onDeleted(accountId, userId);
  }

  async purge(accountId: string): Promise<void> {
    await this.docs.purge(accountId, [this.ctx.keys.usernameIndex(accountId), this.ctx.keys.md5Index(accountId)]);
  }

  private async write(accountId: string, userId: string, build: (current: StoredUser) => UserFields, opts?: WriteOptions): Promise<User> {
    let passwordSet = false;
    const { prev, next } = await this.docs.update(
      accountId,
      userId,
      (current) => {
        const fields = build(current);
        passwordSet = fields.password !== undefined;
        return { ...this.body(fields, current), account_id: accountId, ...systemOf(current) };
      },
      opts,
    );
    await this.indexCredentials(prev, next);
    // After the write, never before: a login racing it can then only hold a token of the new state.
    if (passwordSet || (prev.enabled && !next.enabled)) await this.revokeTokens(accountId, userId);
    return publicUser(next);
  }

  /** The stored body: the password becomes Kazoo's md5 credentials hash and is never kept. */
  private body(fields: UserFields, current: StoredUser | undefined): Omit<StoredUser, 'account_id' | 'id' | 'created' | 'modified' | 'revision'> {
    const { password, ...rest } = fields;
    if (password !== undefined) {
      if (!rest.username) throw DirectoryError.invalidField('username', 'required', 'is required when a password is set');
      return { ...rest, pvt_md5_auth: md5Credentials(rest.username, password) };
    }
    if (current?.pvt_md5_auth && rest.username === current.username) return { ...rest, pvt_md5_auth: current.pvt_md5_auth };
    if (current?.pvt_md5_auth && rest.username) {
      throw DirectoryError.invalidField('password', 'required', 'is required when the username changes');
    }
    return rest;
  }

  private async indexCredentials(prev: StoredUser | undefined, next: StoredUser | undefined): Promise<void> {
    if (prev?.pvt_md5_auth === next?.pvt_md5_auth) return;
    if (prev?.pvt_md5_auth) await this.ctx.store.hdelIf(this.ctx.keys.md5Index(prev.account_id), prev.pvt_md5_auth, prev.id);
    if (next?.pvt_md5_auth) await this.ctx.store.hset(this.ctx.keys.md5Index(next.account_id), next.pvt_md5_auth, next.id);
  }
}

export function publicUser(user: StoredUser): User {
  const { pvt_md5_auth: _hash, ...rest } = user;
  return rest;
}
