import { Injectable } from '@nestjs/common';
import type { Device, Resource, User, WriteOptions } from '@legwork/directory';
import { ProvisioningDirectory } from './provisioning-directory.provider';
import { withSubmittedValues } from './provisioning.values';

/** The document kinds an account holds under /v2/accounts/{ACCOUNT_ID}/<kind>. */
export type DocKind = 'users' | 'devices' | 'resources';

export interface KindMap {
  users: User;
  devices: Device;
  resources: Resource;
}

/** What every per-account repository of the directory offers. */
interface DocumentRepo<D> {
  create(accountId: string, input: unknown): Promise<D>;
  get(accountId: string, id: string): Promise<D>;
  list(accountId: string): Promise<D[]>;
  replace(accountId: string, id: string, input: unknown, opts?: WriteOptions): Promise<D>;
  patch(accountId: string, id: string, input: unknown, opts?: WriteOptions): Promise<D>;
  delete(accountId: string, id: string): Promise<void>;
}

/** Kazoo verbs over users, devices and resources of one account. */
@Injectable()
export class AccountDocumentsService {
  constructor(private readonly dir: ProvisioningDirectory) {}

  create<K extends DocKind>(kind: K, accountId: string, doc: Record<string, unknown>): Promise<KindMap[K]> {
    return withSubmittedValues(doc, () => this.repo(kind).create(accountId, doc));
  }

  get<K extends DocKind>(kind: K, accountId: string, id: string): Promise<KindMap[K]> {
    return this.repo(kind).get(accountId, id);
  }

  list<K extends DocKind>(kind: K, accountId: string): Promise<KindMap[K][]> {
    return this.repo(kind).list(accountId);
  }

  replace<K extends DocKind>(kind: K, accountId: string, id: string, doc: Record<string, unknown>, revision?: string): Promise<KindMap[K]> {
    return withSubmittedValues(doc, () => this.repo(kind).replace(accountId, id, doc, { revision }));
  }

  patch<K extends DocKind>(kind: K, accountId: string, id: string, doc: Record<string, unknown>, revision?: string): Promise<KindMap[K]> {
    return withSubmittedValues(doc, () => this.repo(kind).patch(accountId, id, doc, { revision }));
  }

  /** Kazoo answers a DELETE with the document as it was. */
  async remove<K extends DocKind>(kind: K, accountId: string, id: string): Promise<KindMap[K]> {
    const repo = this.repo(kind);
    const doc = await repo.get(accountId, id);
    await repo.delete(accountId, id);
    return doc;
  }

  private repo<K extends DocKind>(kind: K): DocumentRepo<KindMap[K]> {
    const { users, devices, resources } = this.dir.directory;
    const repos: { [P in DocKind]: DocumentRepo<KindMap[P]> } = { users, devices, resources };
    return repos[kind];
  }
}
