import type { Logger } from '@legwork/common';
import type { DirectoryKeys, DocKind } from '../directory.keys';
import { DirectoryError } from '../directory.error';
import type { DocumentWriter, SystemFields, UniqueIndex, WriteOptions } from '../documents/document-writer';
import type { SecretBox } from '../secrets/secret-box';
import type { SecretKeyring } from '../secrets/secret-keys';
import type { DirectoryStore } from '../store/directory-store.driver';

export interface RepoContext {
  store: DirectoryStore;
  keys: DirectoryKeys;
  writer: DocumentWriter;
  now: () => number;
  logger: Logger;
  keyring: SecretKeyring;
  box: SecretBox;
}

export type AccountDoc = SystemFields & { account_id: string };

/** Turns a document's secret fields into their at-rest form and back (see secrets/sealed-fields). */
export interface DocumentCodec<D> {
  seal(doc: D): D;
  open(doc: D): D;
  /** True when some secret of the stored document is in clear or under an older key. */
  needsReseal(stored: D): boolean;
}

const PLAIN: DocumentCodec<never> = { seal: (d) => d, open: (d) => d, needsReseal: () => false };

const MAX_ATTEMPTS = 8;

/** Storage of one kind of per-account document: the document keys plus the account's id set. */
export class AccountDocuments<D extends AccountDoc> {
  constructor(
    private readonly ctx: RepoContext,
    private readonly kind: DocKind,
    private readonly uniques: UniqueIndex<D>[] = [],
    private readonly codec: DocumentCodec<D> = PLAIN,
  ) {}

  key(accountId: string, id: string): string {
    return this.ctx.keys.doc(accountId, this.kind, id);
  }

  async find(accountId: string, id: string): Promise<D | null> {
    const stored = (await this.ctx.writer.read<D>(this.key(accountId, id)))?.doc;
    return stored === undefined ? null : this.codec.open(stored);
  }

  async get(accountId: string, id: string): Promise<D> {
    const doc = await this.find(accountId, id);
    if (!doc) throw DirectoryError.notFound(this.kind, id);
    return doc;
  }

  async getMany(accountId: string, ids: string[]): Promise<D[]> {
    return (await this.ctx.writer.readMany<D>(ids.map((id) => this.key(accountId, id)))).map((d) => this.codec.open(d));
  }

  async list(accountId: string): Promise<D[]> {
    const ids = await this.ctx.store.smembers(this.ctx.keys.docSet(accountId, this.kind));
    const docs = await this.getMany(accountId, ids);
    return docs.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  async insert(doc: D): Promise<void> {
    await this.ctx.writer.insert(this.key(doc.account_id, doc.id), this.codec.seal(doc), this.uniques);
    await this.ctx.store.sadd(this.ctx.keys.docSet(doc.account_id, this.kind), doc.id);
  }

  /** Read-modify-write; `build` sees and returns documents in clear, sealed on the way to the store. */
  async update(accountId: string, id: string, build: (current: D) => Promise<D> | D, opts?: WriteOptions): Promise<{ prev: D; next: D }> {
    const { prev, next } = await this.ctx.writer.update<D>(this.key(accountId, id), this.kind, id, async (stored) => this.codec.seal(await build(this.codec.open(stored))), this.uniques, opts);
    return { prev: this.codec.open(prev), next: this.codec.open(next) };
  }

  /**
   * Rewrites the stored form without stamping a revision (re-encryption, re-indexing: nothing a client
   * edited). `edit` gets the stored document and returns its replacement, or null to leave it; true when written.
   */
  async rewrite(accountId: string, id: string, edit: (stored: D) => Promise<D | null> | D | null): Promise<boolean> {
    const key = this.key(accountId, id);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.ctx.writer.read<D>(key);
      const next = current === null ? null : await edit(current.doc);
      if (current === null || next === null) return false;
      if (await this.ctx.store.compareAndSet(key, current.raw, JSON.stringify(next))) return true;
    }
    throw DirectoryError.conflict('revision', `${this.kind} ${id} is being modified concurrently`);
  }

  /** Checks the document's secrets decrypt, and re-encrypts them under the current key when in clear or under an older one. */
  reseal(accountId: string, id: string): Promise<boolean> {
    return this.rewrite(accountId, id, (stored) => {
      const opened = this.codec.open(stored);
      return this.codec.needsReseal(stored) ? this.codec.seal(opened) : null;
    });
  }

  /** Deletes the document; returns it as stored (secrets sealed), so deleting never needs the key. */
  async remove(accountId: string, id: string): Promise<D> {
    const doc = await this.ctx.writer.remove(this.key(accountId, id), this.kind, id, this.uniques);
    await this.ctx.store.srem(this.ctx.keys.docSet(accountId, this.kind), id);
    return doc;
  }

  /** Ids of the account's documents of this kind, unread. */
  ids(accountId: string): Promise<string[]> {
    return this.ctx.store.smembers(this.ctx.keys.docSet(accountId, this.kind));
  }

  /** Removes every document of this kind in the account (account deletion); returns them as stored, never decrypted. */
  async purge(accountId: string, extraKeys: string[] = []): Promise<D[]> {
    const removed: D[] = [];
    const ids = await this.ids(accountId);
    for (const doc of await this.ctx.writer.readMany<D>(ids.map((id) => this.key(accountId, id)))) {
      removed.push(await this.ctx.writer.remove(this.key(accountId, doc.id), this.kind, doc.id, this.uniques));
    }
    await this.ctx.store.del([this.ctx.keys.docSet(accountId, this.kind), ...extraKeys]);
    return removed;
  }
}
