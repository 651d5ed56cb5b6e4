import { newId } from '@legwork/common';
import { constantTimeEqual } from '../credentials/hashing';
import { DirectoryError } from '../directory.error';
import type { UniqueIndex } from '../documents/document-writer';
import { parseDocument } from '../documents/validation';
import { AccountDocuments, type RepoContext } from '../repos/repo-context';
import { type ApiClient, apiClientSchema, type StoredApiClient } from '../schemas/api-client.schema';
import { CLIENT_SECRET_PATTERN, clientSecretHash, newClientSecret } from './client-secret';

/** The client without its secret hash, as every read returns it. */
export function publicClient(stored: StoredApiClient): ApiClient {
  const { pvt_secret_hash: _hash, ...rest } = stored;
  return { ...rest, client_id: rest.id };
}

/** API clients of an account and the platform-wide index that finds one by its secret. */
export class ApiClientRepository {
  readonly docs: AccountDocuments<StoredApiClient>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly requireAccount: (accountId: string) => Promise<unknown>,
    private readonly userExists: (accountId: string, userId: string) => Promise<boolean>,
  ) {
    const secretIndex: UniqueIndex<StoredApiClient> = { field: 'client_secret', hashKey: () => ctx.keys.apiClientSecretIndex, value: (c) => c.pvt_secret_hash, owner: (c) => `${c.account_id}/${c.id}` };
    this.docs = new AccountDocuments<StoredApiClient>(ctx, 'apiclient', [secretIndex]);
  }

  async create(accountId: string, input: unknown): Promise<{ client: ApiClient; secret: string }> {
    const fields = parseDocument(apiClientSchema, input);
    await this.requireAccount(accountId);
    if (fields.owner_id !== undefined && !(await this.userExists(accountId, fields.owner_id))) {
      throw DirectoryError.invalidField('owner_id', 'exists', `user ${fields.owner_id} does not exist in this account`);
    }
    const secret = newClientSecret();
    const id = newId();
    const stored: StoredApiClient = { ...fields, account_id: accountId, client_id: id, pvt_secret_hash: this.hash(secret), ...this.ctx.writer.stamp(id) };
    await this.docs.insert(stored);
    return { client: publicClient(stored), secret };
  }

  async find(accountId: string, clientId: string): Promise<ApiClient | null> {
    const stored = await this.docs.find(accountId, clientId);
    return stored && publicClient(stored);
  }

  async get(accountId: string, clientId: string): Promise<ApiClient> {
    return publicClient(await this.docs.get(accountId, clientId));
  }

  async list(accountId: string, ownerId?: string): Promise<ApiClient[]> {
    await this.requireAccount(accountId);
    return (await this.docs.list(accountId)).filter((c) => ownerId === undefined || c.owner_id === ownerId).map(publicClient);
  }

  async remove(accountId: string, clientId: string): Promise<ApiClient> {
    return publicClient(await this.docs.remove(accountId, clientId));
  }

  /**
   * The client whose secret this is, found through the keyed index under every configured key and checked
   * against the document in constant time; an entry under an older key is moved to the current one.
   */
  async locate(secret: string): Promise<StoredApiClient | null> {
    if (!CLIENT_SECRET_PATTERN.test(secret)) return null;
    for (const keyId of this.ctx.keyring.ids) {
      const hash = clientSecretHash(this.ctx.keyring, keyId, secret) as string;
      const owner = await this.ctx.store.hget(this.ctx.keys.apiClientSecretIndex, hash);
      if (owner === null) continue;
      const [accountId = '', clientId = ''] = owner.split('/');
      const client = await this.docs.find(accountId, clientId);
      if (client === null || !constantTimeEqual(client.pvt_secret_hash, hash)) return null;
      return keyId === this.ctx.keyring.currentId ? client : this.rekey(client, secret);
    }
    return null;
  }

  /** True when the client's secret hash was made with a key other than the current one. */
  onRetiredKey(client: StoredApiClient): boolean {
    return !client.pvt_secret_hash.startsWith(`${this.ctx.keyring.currentId}:`);
  }

  async purge(accountId: string): Promise<void> {
    await this.docs.purge(accountId);
  }

  private hash(secret: string): string {
    return clientSecretHash(this.ctx.keyring, this.ctx.keyring.currentId, secret) as string;
  }

  /** Only the secret itself can re-key its hash: done when it is presented under a retired key. */
  private async rekey(client: StoredApiClient, secret: string): Promise<StoredApiClient> {
    const next = { ...client, pvt_secret_hash: this.hash(secret) };
    const owner = `${client.account_id}/${client.id}`;
    await this.ctx.store.hsetnx(this.ctx.keys.apiClientSecretIndex, next.pvt_secret_hash, owner);
    const moved = await this.docs.rewrite(client.account_id, client.id, (stored) => (stored.pvt_secret_hash === client.pvt_secret_hash ? next : null));
    const stale = moved ? client.pvt_secret_hash : next.pvt_secret_hash;
    await this.ctx.store.hdelIf(this.ctx.keys.apiClientSecretIndex, stale, owner);
    return moved ? next : client;
  }
}
