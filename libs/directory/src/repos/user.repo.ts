import { newId } from '@legwork/common';
import type { z } from 'zod';
import { UserCredentials } from '../credentials/user-credentials';
import { DirectoryError } from '../directory.error';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { didsUnique, emailUnique, extensionUnique, labelUnique, mobileUnique } from '../numbering/numbering-indexes';
import { withE164Numbers } from '../numbering/number-fields';
import type { Account } from '../schemas/account.schema';
import { type StoredCredentials, type StoredUser, type User, userSchema } from '../schemas/user.schema';
import type { CredentialMethod } from '../secrets/credential-hash';
import { AccountDocuments, type RepoContext } from './repo-context';
import { UserLookups } from './user-lookups';
import { publicUser } from './user-view';

export interface UserRepo {
  create(accountId: string, input: unknown): Promise<User>;
  get(accountId: string, userId: string): Promise<User>;
  find(accountId: string, userId: string): Promise<User | null>;
  findByUsername(accountId: string, username: string): Promise<User | null>;
  /** Case-insensitive; emails are unique per account. */
  findByEmail(accountId: string, email: string): Promise<User | null>;
  /** Case-insensitive; labels are unique among the account's users. */
  findByLabel(accountId: string, label: string): Promise<User | null>;
  /** A short extension (digits) of this account; null for another kind's extension or a malformed one. */
  findByExtension(accountId: string, extension: string): Promise<User | null>;
  /** A DID of this account's user, written as E.164 or national in the account's country. */
  findByDid(accountId: string, number: string): Promise<User | null>;
  /** The user whose mobile_number this is (E.164 or national in the account's country). */
  findByMobileNumber(accountId: string, number: string): Promise<User | null>;
  /** The username, else the one user whose "first last" name or first name it is (case-insensitive); null when none or several. */
  findByName(accountId: string, name: string): Promise<User | null>;
  /** Every user a name may mean: its username's user, then users of that full or first name, oldest first. */
  findAllByName(accountId: string, name: string): Promise<User[]>;
  list(accountId: string): Promise<User[]>;
  replace(accountId: string, userId: string, input: unknown, opts?: WriteOptions): Promise<User>;
  patch(accountId: string, userId: string, input: unknown, opts?: WriteOptions): Promise<User>;
  /** Deletes the user; its devices stay in the account with owner_id cleared, and it leaves every group. */
  delete(accountId: string, userId: string): Promise<void>;
}

type UserFields = z.output<typeof userSchema>;
type StoredBody = Omit<StoredUser, 'account_id' | 'id' | 'created' | 'modified' | 'revision'>;

export class UserRepository implements UserRepo {
  readonly docs: AccountDocuments<StoredUser>;
  readonly credentials: UserCredentials;
  private readonly lookups: UserLookups;

  constructor(
    private readonly ctx: RepoContext,
    private readonly getAccount: (accountId: string) => Promise<Account>,
    private readonly onDeleted: (accountId: string, userId: string) => Promise<void>,
    /** Revokes every token of the user: called after a password is set and after the user is disabled. */
    private readonly revokeTokens: (accountId: string, userId: string) => Promise<void> = async () => undefined,
  ) {
    this.docs = new AccountDocuments<StoredUser>(ctx, 'user', [
      { field: 'username', hashKey: (u) => ctx.keys.usernameIndex(u.account_id), value: (u) => u.username, owner: (u) => u.id },
      emailUnique(ctx),
      extensionUnique(ctx, 'user'),
      labelUnique(ctx, 'user'),
      mobileUnique(ctx),
      didsUnique(ctx, 'user'),
    ]);
    this.credentials = new UserCredentials(ctx, this.docs);
    this.lookups = new UserLookups(ctx, this.docs, getAccount);
  }

  async create(accountId: string, input: unknown): Promise<User> {
    const parsed = parseDocument(userSchema, input);
    const fields = withE164Numbers(parsed, await this.getAccount(accountId));
    const id = newId();
    const user: StoredUser = { ...(await this.body(fields, undefined, this.hasher())), account_id: accountId, ...this.ctx.writer.stamp(id) };
    await this.docs.insert(user);
    await this.credentials.sync(undefined, user);
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

  findByEmail(accountId: string, email: string): Promise<User | null> {
    return this.lookups.byEmail(accountId, email);
  }

  findByLabel(accountId: string, label: string): Promise<User | null> {
    return this.lookups.byLabel(accountId, label);
  }

  findByExtension(accountId: string, extension: string): Promise<User | null> {
    return this.lookups.byExtension(accountId, extension);
  }

  findByDid(accountId: string, number: string): Promise<User | null> {
    return this.lookups.byDid(accountId, number);
  }

  findByMobileNumber(accountId: string, number: string): Promise<User | null> {
    return this.lookups.byMobileNumber(accountId, number);
  }

  async findByName(accountId: string, name: string): Promise<User | null> {
    const all = await this.findAllByName(accountId, name);
    return all.length === 1 ? (all[0] ?? null) : null;
  }

  findAllByName(accountId: string, name: string): Promise<User[]> {
    return this.lookups.allByName(accountId, name);
  }

  /** The stored user whose user_auth credential (md5 or sha1 of "username:password") this is, checked against its slow hash. */
  verifyCredentials(accountId: string, method: CredentialMethod, credential: string): Promise<StoredUser | null> {
    return this.credentials.verify(accountId, method, credential);
  }

  async list(accountId: string): Promise<User[]> {
    await this.getAccount(accountId);
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
    await this.credentials.sync(user, undefined);
    await this.onDeleted(accountId, userId);
  }

  async purge(accountId: string): Promise<void> {
    const { keys } = this.ctx;
    await this.docs.purge(accountId, [
      keys.usernameIndex(accountId), keys.credentialIndex(accountId), keys.md5Index(accountId),
      keys.emailIndex(accountId), keys.emailIndexBackfilled(accountId), keys.labelIndex(accountId, 'user'), keys.mobileIndex(accountId),
    ]);
  }

  private async write(accountId: string, userId: string, build: (current: StoredUser) => UserFields, opts?: WriteOptions): Promise<User> {
    const hasher = this.hasher();
    let passwordSet = false;
    const { prev, next } = await this.docs.update(
      accountId,
      userId,
      async (current) => {
        const fields = await this.numbers(accountId, build(current));
        passwordSet = fields.password !== undefined;
        return { ...(await this.body(fields, current, hasher)), account_id: accountId, ...systemOf(current) };
      },
      opts,
    );
    await this.credentials.sync(prev, next);
    // After the write, never before: a login racing it can then only hold a token of the new state.
    if (passwordSet || (prev.enabled && !next.enabled)) await this.revokeTokens(accountId, userId);
    return publicUser(next);
  }

  /** DIDs and the mobile number in E.164, read with the account's country (looked up only when the write has numbers). */
  private async numbers(accountId: string, fields: UserFields): Promise<UserFields> {
    if (fields.dids === undefined && fields.mobile_number === undefined) return fields;
    return withE164Numbers(fields, await this.getAccount(accountId));
  }

  /** Credentials for one write, hashed once even when a concurrent write makes the update retry. */
  private hasher(): (username: string, password: string) => Promise<StoredCredentials> {
    let memo: { key: string; value: Promise<StoredCredentials> } | undefined;
    return (username, password) => {
      const key = `${username}\u0000${password}`;
      if (memo?.key !== key) memo = { key, value: this.credentials.make(username, password) };
      return memo.value;
    };
  }

  /** The stored body: a password becomes slow hashes of Kazoo's credentials and is never kept. */
  private async body(fields: UserFields, current: StoredUser | undefined, hash: (username: string, password: string) => Promise<StoredCredentials>): Promise<StoredBody> {
    const { password, ...rest } = fields;
    if (password !== undefined) {
      if (!rest.username) throw DirectoryError.invalidField('username', 'required', 'is required when a password is set');
      return { ...rest, pvt_credentials: await hash(rest.username, password) };
    }
    const kept = current?.pvt_credentials ? { pvt_credentials: current.pvt_credentials } : current?.pvt_md5_auth ? { pvt_md5_auth: current.pvt_md5_auth } : undefined;
    if (kept && rest.username === current?.username) return { ...rest, ...kept };
    if (kept && rest.username) throw DirectoryError.invalidField('password', 'required', 'is required when the username changes');
    return rest;
  }
}

export { publicUser };
