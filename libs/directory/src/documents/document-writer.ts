import { randomBytes } from 'node:crypto';
import { DirectoryError } from '../directory.error';
import type { DirectoryStore } from '../store/directory-store.driver';

/** Fields the directory maintains on every document. Times are Unix seconds. */
export interface SystemFields {
  id: string;
  created: number;
  modified: number;
  /** Kazoo `_rev`-like: `<write counter>-<random>`, changes on every write. */
  revision: string;
}

/** A uniqueness constraint kept as a field in an index hash, claimed with HSETNX. */
export interface UniqueIndex<D> {
  field: string;
  hashKey(doc: D): string;
  value(doc: D): string | undefined;
  owner(doc: D): string;
}

export interface WriteOptions {
  /** Optimistic concurrency: fail with `conflict` unless the stored revision matches. */
  revision?: string;
}

const MAX_ATTEMPTS = 8;

/** Reads and writes JSON documents with compare-and-set, keeping unique indexes consistent. */
export class DocumentWriter {
  constructor(
    private readonly store: DirectoryStore,
    private readonly now: () => number,
  ) {}

  async read<D>(key: string): Promise<{ doc: D; raw: string } | null> {
    const raw = await this.store.get(key);
    return raw === null ? null : { doc: JSON.parse(raw) as D, raw };
  }

  async readMany<D>(keys: string[]): Promise<D[]> {
    const raws = await this.store.mget(keys);
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as D);
  }

  stamp(id: string, prev?: SystemFields): SystemFields {
    const now = Math.floor(this.now() / 1000);
    const counter = prev ? Number.parseInt(prev.revision, 10) + 1 : 1;
    return { id, created: prev?.created ?? now, modified: now, revision: `${counter}-${randomBytes(8).toString('hex')}` };
  }

  async insert<D extends SystemFields>(key: string, doc: D, uniques: UniqueIndex<D>[]): Promise<void> {
    const claimed = await this.claim(uniques, undefined, doc);
    if (!(await this.store.compareAndSet(key, null, JSON.stringify(doc)))) {
      await this.release(claimed, doc);
      throw DirectoryError.conflict('id', `document ${doc.id} already exists`);
    }
  }

  /** Read-modify-write with retries; `build` returns the next document without system fields stamped. */
  async update<D extends SystemFields>(
    key: string,
    kind: string,
    id: string,
    build: (current: D) => Promise<D> | D,
    uniques: UniqueIndex<D>[],
    opts: WriteOptions = {},
  ): Promise<{ prev: D; next: D }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read<D>(key);
      if (!current) throw DirectoryError.notFound(kind, id);
      if (opts.revision !== undefined && opts.revision !== current.doc.revision) {
        throw DirectoryError.conflict('revision', `${kind} ${id} was modified (revision ${current.doc.revision})`);
      }
      const built = await build(current.doc);
      const next = { ...built, ...this.stamp(id, current.doc) };
      const claimed = await this.claim(uniques, current.doc, next);
      if (await this.store.compareAndSet(key, current.raw, JSON.stringify(next))) {
        await this.release(uniques.filter((u) => changed(u, current.doc, next)), current.doc);
        return { prev: current.doc, next };
      }
      await this.release(claimed, next);
    }
    throw DirectoryError.conflict('revision', `${kind} ${id} is being modified concurrently`);
  }

  /** Deletes the document and frees its unique values; returns what was deleted. */
  async remove<D extends SystemFields>(key: string, kind: string, id: string, uniques: UniqueIndex<D>[]): Promise<D> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read<D>(key);
      if (!current) throw DirectoryError.notFound(kind, id);
      if (await this.store.compareAndDelete(key, current.raw)) {
        await this.release(uniques, current.doc);
        return current.doc;
      }
    }
    throw DirectoryError.conflict('revision', `${kind} ${id} is being modified concurrently`);
  }

  private async claim<D>(uniques: UniqueIndex<D>[], prev: D | undefined, next: D): Promise<UniqueIndex<D>[]> {
    const claimed: UniqueIndex<D>[] = [];
    for (const u of uniques) {
      const value = u.value(next);
      if (value === undefined || (prev !== undefined && !changed(u, prev, next))) continue;
      const key = u.hashKey(next);
      if (await this.store.hsetnx(key, value, u.owner(next))) {
        claimed.push(u);
        continue;
      }
      if ((await this.store.hget(key, value)) === u.owner(next)) continue;
      await this.release(claimed, next);
      throw DirectoryError.conflict(u.field, `${u.field} "${value}" is already in use`, { value });
    }
    return claimed;
  }

  private async release<D>(uniques: UniqueIndex<D>[], doc: D): Promise<void> {
    for (const u of uniques) {
      const value = u.value(doc);
      if (value !== undefined) await this.store.hdelIf(u.hashKey(doc), value, u.owner(doc));
    }
  }
}

function changed<D>(u: UniqueIndex<D>, prev: D, next: D): boolean {
  return u.value(prev) !== u.value(next) || u.hashKey(prev) !== u.hashKey(next);
}

/** The system fields of a stored document, to carry over when its body is replaced. */
export function systemOf(doc: SystemFields): SystemFields {
  return { id: doc.id, created: doc.created, modified: doc.modified, revision: doc.revision };
}
