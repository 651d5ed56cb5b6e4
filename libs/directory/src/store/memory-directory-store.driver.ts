import type { DirectoryStore } from './directory-store.driver';

interface Entry {
  value: string;
  expiresAt?: number;
}

/** In-process twin of the Redis store for embedded mode; the clock drives key expiry. */
export class MemoryDirectoryStore implements DirectoryStore {
  private readonly strings = new Map<string, Entry>();
  private readonly hashes = new Map<string, Map<string, string>>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly lists = new Map<string, string[]>();
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async ping(): Promise<void> {
    if (this.closed) throw new Error('directory store is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async get(key: string): Promise<string | null> {
    const entry = this.strings.get(key);
    if (!entry) return null;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.strings.delete(key);
      return null;
    }
    return entry.value;
  }

  async mget(keys: string[]): Promise<(string | null)[]> {
    return Promise.all(keys.map((k) => this.get(k)));
  }

  async compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): Promise<boolean> {
    if ((await this.get(key)) !== expected) return false;
    this.strings.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.now() + ttlMs });
    return true;
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    if ((await this.get(key)) !== expected) return false;
    this.strings.delete(key);
    return true;
  }

  async del(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.strings.delete(key);
      this.hashes.delete(key);
      this.sets.delete(key);
      this.lists.delete(key);
    }
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.hashes.get(key)?.get(field) ?? null;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.hashes.get(key) ?? []);
  }

  async hset(key: string, field: string, value: string): Promise<void> {
    this.hash(key).set(field, value);
  }

  async hsetnx(key: string, field: string, value: string): Promise<boolean> {
    const hash = this.hash(key);
    if (hash.has(field)) return false;
    hash.set(field, value);
    return true;
  }

  async hincrby(key: string, field: string, by: number): Promise<number> {
    const hash = this.hash(key);
    const next = Number(hash.get(field) ?? '0') + by;
    hash.set(field, String(next));
    return next;
  }

  async hdelIf(key: string, field: string, expected: string): Promise<boolean> {
    const hash = this.hashes.get(key);
    if (hash?.get(field) !== expected) return false;
    hash.delete(field);
    if (hash.size === 0) this.hashes.delete(key);
    return true;
  }

  async sadd(key: string, member: string): Promise<void> {
    const set = this.sets.get(key) ?? new Set<string>();
    set.add(member);
    this.sets.set(key, set);
  }

  async srem(key: string, member: string): Promise<void> {
    const set = this.sets.get(key);
    set?.delete(member);
    if (set?.size === 0) this.sets.delete(key);
  }

  async smembers(key: string): Promise<string[]> {
    return [...(this.sets.get(key) ?? [])];
  }

  async listPush(key: string, values: readonly string[], maxLength: number): Promise<void> {
    if (values.length === 0) return;
    const list = [...values].reverse().concat(this.lists.get(key) ?? []).slice(0, maxLength);
    this.lists.set(key, list);
  }

  async listRange(key: string, count: number): Promise<string[]> {
    return (this.lists.get(key) ?? []).slice(0, count);
  }

  async incr(key: string): Promise<number> {
    const count = Number((await this.get(key)) ?? 0) + 1;
    this.strings.set(key, { value: String(count) });
    return count;
  }

  async incrWindow(key: string, windowMs: number): Promise<number> {
    const current = await this.get(key);
    const entry = this.strings.get(key);
    const count = (current === null ? 0 : Number(current)) + 1;
    this.strings.set(key, { value: String(count), expiresAt: current === null ? this.now() + windowMs : entry?.expiresAt });
    return count;
  }

  /** Every stored key and value, so tests can check what is kept at rest. */
  dump(): string[] {
    const out: string[] = [];
    for (const [k, e] of this.strings) out.push(k, e.value);
    for (const [k, h] of this.hashes) out.push(k, ...[...h].flat());
    for (const [k, s] of this.sets) out.push(k, ...s);
    for (const [k, l] of this.lists) out.push(k, ...l);
    return out;
  }

  private hash(key: string): Map<string, string> {
    let hash = this.hashes.get(key);
    if (!hash) {
      hash = new Map();
      this.hashes.set(key, hash);
    }
    return hash;
  }
}
