import { checkCdr, checkQuery, idOfSortKey, pageBounds, sortKey } from './cdr.order';
import type { Cdr, CdrPage, CdrQuery, CdrStore } from './cdr.store';

interface Kept {
  cdr: Cdr;
  key: string;
  expiresAt: number;
}

/** In-process twin of the Redis driver (embedded mode): same ordering, paging and retention. */
export class MemoryCdrStore implements CdrStore {
  private readonly accounts = new Map<string, Map<string, Kept>>();

  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async put(input: Cdr): Promise<boolean> {
    const cdr = checkCdr(input);
    const kept = this.live(cdr.accountId);
    if (kept.has(cdr.id)) return false;
    kept.set(cdr.id, { cdr: structuredClone(cdr), key: sortKey(cdr.createdAt, cdr.id), expiresAt: this.now() + this.retentionMs });
    return true;
  }

  async get(accountId: string, cdrId: string): Promise<Cdr | null> {
    const found = this.live(accountId).get(cdrId);
    return found === undefined ? null : structuredClone(found.cdr);
  }

  async list(accountId: string, input: CdrQuery): Promise<CdrPage> {
    const query = checkQuery(input);
    const { max, min } = pageBounds(query);
    const keys = [...this.live(accountId).values()]
      .map((k) => k.key)
      .filter((key) => (max === undefined || key <= max) && (min === undefined || key >= min))
      .sort()
      .reverse();
    const page = keys.slice(0, query.pageSize);
    const items = page.map((key) => this.live(accountId).get(idOfSortKey(key))).filter((k): k is Kept => k !== undefined);
    const next = keys[query.pageSize];
    return { items: items.map((k) => structuredClone(k.cdr)), ...(next !== undefined ? { nextStartKey: next } : {}) };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.accounts.clear();
  }

  private live(accountId: string): Map<string, Kept> {
    let kept = this.accounts.get(accountId);
    if (kept === undefined) {
      kept = new Map();
      this.accounts.set(accountId, kept);
    }
    const now = this.now();
    for (const [id, k] of kept) if (k.expiresAt <= now) kept.delete(id);
    return kept;
  }
}
