import { isDirectoryError, type Directory, type Webhook } from '@legwork/directory';

export interface HookCacheOptions {
  /** A copy older than this is reloaded even when its generation still matches (a write whose bump failed). */
  maxAgeMs?: number;
  /** Accounts kept; the least recently loaded go first. */
  maxAccounts?: number;
  now?: () => number;
}

interface QueuedRead {
  accountIds: readonly string[];
  resolve(generations: number[]): void;
  reject(err: unknown): void;
}

interface Entry {
  generation: number;
  hooks: Webhook[];
  loadedAt: number;
}

/**
 * Each account's hooks (secrets opened), checked against the account's webhook generation on every use: one counter
 * read instead of reading and decrypting the hooks. The generation is read before the hooks it files them under, and
 * every write bumps it before it is acknowledged, so a lookup that starts after a write was acknowledged reads a newer
 * generation than any copy made before the write and loads the hooks again.
 */
export class HookCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Webhook[]>>();
  private queued: QueuedRead[] = [];
  private readonly maxAgeMs: number;
  private readonly maxAccounts: number;

  constructor(
    private readonly directory: Directory,
    private readonly opts: HookCacheOptions = {},
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? 30_000;
    this.maxAccounts = opts.maxAccounts ?? 10_000;
  }

  /** The hook as of now, or null when it (or its account) is gone. */
  async find(accountId: string, hookId: string): Promise<Webhook | null> {
    const [hooks = []] = await this.hooksOf([accountId]);
    return hooks.find((h) => h.id === hookId) ?? null;
  }

  /** Every hook of each account, as of now (an account that is gone has none); one counter read for all of them. */
  async hooksOf(accountIds: readonly string[]): Promise<Webhook[][]> {
    const generations = await this.generations(accountIds);
    return Promise.all(accountIds.map((id, i) => this.current(id, generations[i] ?? 0)));
  }

  /** Accounts held (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The lookups of one turn of the event loop share one read of the counters. A lookup only joins a read not sent
   * yet, so Redis still answers it after the lookup started: what a write acknowledged before then bumped is seen.
   */
  private generations(accountIds: readonly string[]): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      this.queued.push({ accountIds, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.readQueued());
    });
  }

  private readQueued(): void {
    const queued = this.queued;
    this.queued = [];
    const ids = [...new Set(queued.flatMap((q) => q.accountIds))];
    this.directory.webhooks.generations(ids).then(
      (generations) => {
        const byId = new Map(ids.map((id, i) => [id, generations[i] ?? 0]));
        for (const q of queued) q.resolve(q.accountIds.map((id) => byId.get(id) ?? 0));
      },
      (err: unknown) => {
        for (const q of queued) q.reject(err);
      },
    );
  }

  private current(accountId: string, generation: number): Webhook[] | Promise<Webhook[]> {
    const entry = this.entries.get(accountId);
    if (entry !== undefined && entry.generation === generation && this.now() - entry.loadedAt < this.maxAgeMs) return entry.hooks;
    // Lookups that read the same generation share one load: any of them may use hooks read after that generation.
    const key = `${accountId}#${generation}`;
    const pending = this.loading.get(key);
    if (pending !== undefined) return pending;
    const load = this.load(accountId, generation).finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    return load;
  }

  private async load(accountId: string, generation: number): Promise<Webhook[]> {
    const loadedAt = this.now();
    const hooks = await this.directory.webhooks.list(accountId).catch((err: unknown) => {
      if (isDirectoryError(err, 'not_found')) return [];
      throw err;
    });
    const held = this.entries.get(accountId);
    // A slower load of an older generation never replaces a newer copy.
    if (held === undefined || held.generation <= generation) {
      this.entries.delete(accountId);
      if (this.entries.size >= this.maxAccounts) this.entries.delete(this.entries.keys().next().value ?? '');
      this.entries.set(accountId, { generation, hooks, loadedAt });
    }
    return hooks;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
