/**
 * Highest nonce-count seen per nonce, in a bounded LRU. It lives in this process only: a replay sent
 * to another node is not caught by this table (nonce expiry still bounds it).
 */
export class NonceCountTracker {
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** True (and remembered) when nc is higher than any count accepted before for this nonce. */
  accept(nonce: string, nc: number): boolean {
    const prior = this.seen.get(nonce);
    if (prior !== undefined && nc <= prior) return false;
    this.seen.delete(nonce);
    this.seen.set(nonce, nc);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
