import { type CredentialMethod, credentialIndexField, hashCredential, indexFieldKeyId, verifyCredential } from '../secrets/credential-hash';
import type { AccountDocuments, RepoContext } from '../repos/repo-context';
import type { StoredCredentials, StoredUser } from '../schemas/user.schema';
import { constantTimeEqual, md5Credentials, sha1Credentials } from './hashing';

const HASH_FIELD = { md5: 'md5', sha: 'sha1' } as const;

/**
 * Users' login credentials: Kazoo's md5 and sha1 of "username:password", each kept only as a salted
 * scrypt hash, found through an index keyed by HMAC(server key, credential) so the store alone logs no one in.
 */
export class UserCredentials {
  constructor(
    private readonly ctx: RepoContext,
    private readonly docs: AccountDocuments<StoredUser>,
  ) {}

  /** Hashes and index entries for a new password (two scrypt runs, in parallel on the libuv pool). */
  async make(username: string, password: string): Promise<StoredCredentials> {
    const md5 = md5Credentials(username, password);
    const sha1 = sha1Credentials(username, password);
    const [md5Hash, sha1Hash] = await Promise.all([hashCredential(md5), hashCredential(sha1)]);
    return { md5: md5Hash, sha1: sha1Hash, index: { md5: this.field('md5', md5), sha1: this.field('sha', sha1) } };
  }

  /** Moves the account's index entries from what `prev` held to what `next` holds. */
  async sync(prev: StoredUser | undefined, next: StoredUser | undefined): Promise<void> {
    const before = fieldsOf(prev);
    const after = fieldsOf(next);
    for (const field of before) if (!after.includes(field)) await this.ctx.store.hdelIf(this.indexKey(prev as StoredUser), field, (prev as StoredUser).id);
    for (const field of after) if (!before.includes(field)) await this.ctx.store.hset(this.indexKey(next as StoredUser), field, (next as StoredUser).id);
    if (prev?.pvt_md5_auth && prev.pvt_md5_auth !== next?.pvt_md5_auth) await this.ctx.store.hdelIf(this.ctx.keys.md5Index(prev.account_id), prev.pvt_md5_auth, prev.id);
  }

  /** The stored user whose credential this is, or null; re-keys its index entry when found under an older key. */
  async verify(accountId: string, method: CredentialMethod, credential: string): Promise<StoredUser | null> {
    for (const keyId of this.ctx.keyring.ids) {
      const field = credentialIndexField(this.ctx.keyring, keyId, method, credential) as string;
      const userId = await this.ctx.store.hget(this.ctx.keys.credentialIndex(accountId), field);
      if (userId === null) continue;
      const user = await this.docs.find(accountId, userId);
      const hash = user?.pvt_credentials?.[HASH_FIELD[method]];
      if (!user || hash === undefined || user.pvt_credentials?.index[HASH_FIELD[method]] !== field || !(await verifyCredential(credential, hash))) return null;
      return keyId === this.ctx.keyring.currentId ? user : this.rekey(user, method, credential, field);
    }
    return method === 'md5' ? this.verifyLegacy(accountId, credential) : null;
  }

  /** Replaces a legacy unsalted md5 by its slow hash (no password needed: the md5 is the credential); true when done. */
  async migrateLegacy(accountId: string, userId: string): Promise<boolean> {
    let migrated: { prev: StoredUser; next: StoredUser } | undefined;
    await this.docs.rewrite(accountId, userId, async (stored) => {
      if (!stored.pvt_md5_auth) return null;
      const { pvt_md5_auth: md5, ...rest } = stored;
      const next: StoredUser = { ...rest, pvt_credentials: { md5: await hashCredential(md5), index: { md5: this.field('md5', md5) } } };
      migrated = { prev: stored, next };
      return next;
    });
    if (migrated) await this.sync(migrated.prev, migrated.next);
    return migrated !== undefined;
  }

  /** True when the user's index entry for `method` was made with a key other than the current one. */
  onRetiredKey(user: StoredUser, method: CredentialMethod): boolean {
    const field = user.pvt_credentials?.index[HASH_FIELD[method]];
    return field !== undefined && indexFieldKeyId(field) !== this.ctx.keyring.currentId;
  }

  private async verifyLegacy(accountId: string, md5: string): Promise<StoredUser | null> {
    const userId = await this.ctx.store.hget(this.ctx.keys.md5Index(accountId), md5);
    const user = userId === null ? null : await this.docs.find(accountId, userId);
    if (!user?.pvt_md5_auth || !constantTimeEqual(user.pvt_md5_auth, md5)) return null;
    await this.migrateLegacy(accountId, user.id);
    return (await this.docs.find(accountId, user.id)) ?? null;
  }

  private async rekey(user: StoredUser, method: CredentialMethod, credential: string, oldField: string): Promise<StoredUser> {
    const slot = HASH_FIELD[method];
    const field = this.field(method, credential);
    let next: StoredUser | undefined;
    await this.docs.rewrite(user.account_id, user.id, (stored) => {
      // Someone changed the password meanwhile: their write owns the index.
      if (stored.pvt_credentials?.index[slot] !== oldField) return null;
      next = { ...stored, pvt_credentials: { ...stored.pvt_credentials, index: { ...stored.pvt_credentials.index, [slot]: field } } };
      return next;
    });
    if (next) await this.sync(user, next);
    return next ?? user;
  }

  private field(method: CredentialMethod, credential: string): string {
    return credentialIndexField(this.ctx.keyring, this.ctx.keyring.currentId, method, credential) as string;
  }

  private indexKey(user: StoredUser): string {
    return this.ctx.keys.credentialIndex(user.account_id);
  }
}

function fieldsOf(user: StoredUser | undefined): string[] {
  const index = user?.pvt_credentials?.index ?? {};
  return [index.md5, index.sha1].filter((f): f is string => f !== undefined);
}
