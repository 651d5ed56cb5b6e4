/**
 * The storage primitives the directory needs. Every operation touches one key,
 * so the Redis driver works on Redis Cluster; the in-process driver mirrors it with Maps.
 */
export interface DirectoryStore {
  ping(): Promise<void>;
  close(): Promise<void>;

  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<(string | null)[]>;
  /** Writes `value` only if the key currently holds `expected` (null: key absent). */
  compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): Promise<boolean>;
  /** Deletes the key only if it currently holds `expected`. */
  compareAndDelete(key: string, expected: string): Promise<boolean>;
  del(keys: string[]): Promise<void>;

  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  hset(key: string, field: string, value: string): Promise<void>;
  /** Sets the field only if absent; true when this call set it. */
  hsetnx(key: string, field: string, value: string): Promise<boolean>;
  /** Adds `by` to an integer field (absent: 0) and returns the new value. */
  hincrby(key: string, field: string, by: number): Promise<number>;
  /** Deletes the field only if it holds `expected`. */
  hdelIf(key: string, field: string, expected: string): Promise<boolean>;

  sadd(key: string, member: string): Promise<void>;
  srem(key: string, member: string): Promise<void>;
  smembers(key: string): Promise<string[]>;

  /** Prepends each value in turn (the last ends up first) and keeps only the newest `maxLength` entries (bounded logs). */
  listPush(key: string, values: readonly string[], maxLength: number): Promise<void>;
  /** The newest `count` entries, newest first. */
  listRange(key: string, count: number): Promise<string[]>;
  /** Increments a counter; its expiry starts with the first increment (fixed window). Returns the new count. */
  incrWindow(key: string, windowMs: number): Promise<number>;
  /** Increments a counter that never expires (absent: 0); returns the new value. */
  incr(key: string): Promise<number>;
}
