import type { Logger } from '@legwork/common';
import type { DirectoryKeys, DocKind } from '../directory.keys';
import { DirectoryError } from '../directory.error';
import type { DocumentWriter, SystemFields, UniqueIndex, WriteOptions } from '../documents/document-writer';
import type { DirectoryStore } from '../store/directory-store.driver';

export interface RepoContext {
  store: DirectoryStore;
  keys: DirectoryKeys;
  writer: DocumentWriter;
  now: () => number;
  logger: Logger;
}

export type AccountDoc = SystemFields & { account_id: string };

/** Storage of one kind of per-account document: the document keys plus the account's id set. */
export class AccountDocuments<D extends AccountDoc> {
  constructor(
    private readonly ctx: RepoContext,
    private readonly kind: DocKind,
    private readonly uniques: UniqueIndex<D>[] = [],
  ) {}

  key(accountId: string, id: string): string {
    return this.ctx.keys.doc(accountId, this.kind, id);
  }

  async find(accountId: string, id: string): Promise<D | null> {
    return (await this.ctx.writer.read<D>(this.key(accountId, id)))?.doc ?? null;
  }

  async get(accountId: string, id: string): Promise<D> {
    const doc = await this.find(accountId, id);
    if (!doc) throw DirectoryError.notFound(this.kind, id);
    return doc;
  }

  async getMany(accountId: string, ids: string[]): Promise<D[]> {
    return this.ctx.writer.readMany<D>(ids.map((id) => this.key(accountId, id)));
  }

  async list(accountId: string): Promise<D[]> {
    const ids = await this.ctx.store.smembers(this.ctx.keys.docSet(accountId, this.kind));
    const docs = await this.getMany(accountId, ids);
    return docs.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  async insert(doc: D): Promise<void> {
    await this.ctx.writer.insert(this.key(doc.account_id, doc.id), doc, this.uniques);
    await this.ctx.store.sadd(this.ctx.keys.docSet(doc.account_id, this.kind), doc.id);
  }

  update(accountId: string, id: string, build: (current: D) => Promise<D> | D, opts?: WriteOptions): Promise<{ prev: D; next: D }> {
    return this.ctx.writer.update(this.key(accountId, id), this.kind, id, build, this.uniques, opts);
  }

  async remove(accountId: string, id: string): Promise<D> {
    const doc = await this.ctx.writer.remove(this.key(accountId, id), this.kind, id, this.uniques);
    await this.ctx.store.srem(this.ctx.keys.docSet(accountId, this.kind), id);
    return doc;
  }

  /** Removes every document of this kind in the account (account deletion). */
  async purge(accountId: string, extraKeys: string[] = []): Promise<D[]> {
    const removed: D[] = [];
    for (const doc of await this.list(accountId)) {
      removed.push(await this.ctx.writer.remove(this.key(accountId, doc.id), this.kind, doc.id, this.uniques));
    }
    await this.ctx.store.del([this.ctx.keys.docSet(accountId, this.kind), ...extraKeys]);
    return removed;
  }
}
