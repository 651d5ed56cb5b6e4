import { Injectable } from '@nestjs/common';
import { selfEditBody, type Device, type Group, type Resource, type Scope, type User, type WriteOptions } from '@legwork/directory';
import { ProvisioningDirectory } from './provisioning-directory.provider';
import { withSubmittedValues } from './provisioning.values';

/** The document kinds an account holds under /v2/accounts/{ACCOUNT_ID}/<kind>. */
export type DocKind = 'users' | 'devices' | 'resources' | 'groups';

export interface KindMap {
  users: User;
  devices: Device;
  resources: Resource;
  groups: Group;
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

/** The document kinds a plain user may edit parts of (its own user, its own devices). */
const SELF_EDITABLE = { users: 'user', devices: 'device' } as const;

/** Kazoo verbs over users, devices, resources and groups of one account; a plain user's scope sees and edits only its own. */
@Injectable()
export class AccountDocumentsService {
  constructor(private readonly dir: ProvisioningDirectory) {}

  create<K extends DocKind>(kind: K, accountId: string, doc: Record<string, unknown>): Promise<KindMap[K]> {
    return withSubmittedValues(doc, () => this.repo(kind).create(accountId, doc));
  }

  get<K extends DocKind>(kind: K, accountId: string, id: string): Promise<KindMap[K]> {
    return this.repo(kind).get(accountId, id);
  }

  async list<K extends DocKind>(kind: K, accountId: string, scope: Scope = { all: true }): Promise<KindMap[K][]> {
    const docs = await this.repo(kind).list(accountId);
    if (scope.all) return docs;
    return docs.filter((d) => (kind === 'users' ? d.id === scope.userId : kind === 'devices' ? (d as Device).owner_id === scope.userId : false));
  }

  async replace<K extends DocKind>(kind: K, accountId: string, id: string, doc: Record<string, unknown>, scope: Scope = { all: true }, revision?: string): Promise<KindMap[K]> {
    const body = await this.ownEdit(kind, accountId, id, doc, scope, 'replace');
    return withSubmittedValues(doc, () => this.repo(kind).replace(accountId, id, body, { revision }));
  }

  async patch<K extends DocKind>(kind: K, accountId: string, id: string, doc: Record<string, unknown>, scope: Scope = { all: true }, revision?: string): Promise<KindMap[K]> {
    const body = await this.ownEdit(kind, accountId, id, doc, scope, 'patch');
    return withSubmittedValues(doc, () => this.repo(kind).patch(accountId, id, body, { revision }));
  }

  /** An admin writes what it sent; a plain user's write over its own document keeps the admin-only fields. */
  private async ownEdit(kind: DocKind, accountId: string, id: string, doc: Record<string, unknown>, scope: Scope, mode: 'patch' | 'replace'): Promise<Record<string, unknown>> {
    if (scope.all || kind === 'resources' || kind === 'groups') return doc;
    return selfEditBody(SELF_EDITABLE[kind], await this.repo(kind).get(accountId, id), doc, mode);
  }

  /** Kazoo answers a DELETE with the document as it was. */
  async remove<K extends DocKind>(kind: K, accountId: string, id: string): Promise<KindMap[K]> {
    const repo = this.repo(kind);
    const doc = await repo.get(accountId, id);
    await repo.delete(accountId, id);
    return doc;
  }

  private repo<K extends DocKind>(kind: K): DocumentRepo<KindMap[K]> {
    const { users, devices, resources, groups } = this.dir.directory;
    const repos: { [P in DocKind]: DocumentRepo<KindMap[P]> } = { users, devices, resources, groups };
    return repos[kind];
  }
}
