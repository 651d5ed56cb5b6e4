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
  /** The value the document claims, or several for a list field (DIDs); undefined or [] claims nothing. */
  value(doc: D): string | readonly string[] | undefined;
  owner(doc: D): string;
}

/** One claimed hash field: what a document holds in one index. */
interface Claim {
  field: string;
  key: string;
  value: string;
  owner: string;
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
    const claimed = await this.claim(claimsOf(uniques, doc));
    if (!(await this.store.compareAndSet(key, null, JSON.stringify(doc)))) {
      await this.release(claimed);
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
      const before = claimsOf(uniques, current.doc);
      const after = claimsOf(uniques, next);
      const claimed = await this.claim(minus(after, before));
      if (await this.store.compareAndSet(key, current.raw, JSON.stringify(next))) {
        await this.release(minus(before, after));
        return { prev: current.doc, next };
      }
      await this.release(claimed);
    }
    throw DirectoryError.conflict('revision', `${kind} ${id} is being modified concurrently`);
  }

  /** Deletes the document and frees its unique values; returns what was deleted. */
  async remove<D extends SystemFields>(key: string, kind: string, id: string, uniques: UniqueIndex<D>[]): Promise<D> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read<D>(key);
      if (!current) throw DirectoryError.notFound(kind, id);
      if (await this.store.compareAndDelete(key, current.raw)) {
        await this.release(claimsOf(uniques, current.doc));
        return current.doc;
      }
    }
    throw DirectoryError.conflict('revision', `${kind} ${id} is being modified concurrently`);
  }

  /** Claims every field (HSETNX); on a clash releases what this call claimed and throws `conflict`. Returns what it claimed. */
  private async claim(wanted: Claim[]): Promise<Claim[]> {
    const claimed: Claim[] = [];
    for (const c of wanted) {
      if (await this.store.hsetnx(c.key, c.value, c.owner)) {
        claimed.push(c);
        continue;
      }
      if ((await this.store.hget(c.key, c.value)) === c.owner) continue;
      await this.release(claimed);
      throw DirectoryError.conflict(c.field, `${c.field} "${c.value}" is already in use`, { value: c.value });
    }
    return claimed;
  }

  private async release(claims: Claim[]): Promise<void> {
    for (const c of claims) await this.store.hdelIf(c.key, c.value, c.owner);
  }
}

/** Every index field the document holds, once each. */
function claimsOf<D>(uniques: UniqueIndex<D>[], doc: D): Claim[] {
  const out = new Map<string, Claim>();
  for (const u of uniques) {
    const raw = u.value(doc);
    const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
    const key = u.hashKey(doc);
    const owner = u.owner(doc);
    for (const value of values) out.set(claimId({ key, value, owner }), { field: u.field, key, value, owner });
  }
  return [...out.values()];
}

const claimId = (c: Pick<Claim, 'key' | 'value' | 'owner'>): string => `${c.key}\u0000${c.value}\u0000${c.owner}`;

/** Claims of `a` that `b` does not hold. */
function minus(a: Claim[], b: Claim[]): Claim[] {
  const held = new Set(b.map(claimId));
  return a.filter((c) => !held.has(claimId(c)));
}

/** The system fields of a stored document, to carry over when its body is replaced. */
export function systemOf(doc: SystemFields): SystemFields {
  return { id: doc.id, created: doc.created, modified: doc.modified, revision: doc.revision };
}
