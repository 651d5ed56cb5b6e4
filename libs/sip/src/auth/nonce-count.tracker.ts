/** What remembers nonce-counts for a verifier: the shared store of a cluster (`CallStore.nonces`) fits as is. */
export interface NonceCounter {
  /** True (and remembered for ttlMs) when nc is higher than every count accepted before for this nonce. */
  accept(nonce: string, nc: number, ttlMs: number): Promise<boolean>;
}

/**
 * Highest nonce-count per nonce in this process, each forgotten once its nonce's lifetime is over (never
 * earlier, so no flood of other nonces can push one out). For a UA checking its own peers; a registrar
 * uses the shared NonceCounter so a replay to another node is caught too.
 */
export class NonceCountTracker {
  private readonly seen = new Map<string, { nc: number; expiresAt: number }>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  /** True (and remembered until now + ttlMs) when nc is higher than any count accepted before for this nonce. */
  accept(nonce: string, nc: number, ttlMs: number, now: number): boolean {
    if (now - this.lastSweep >= 1000) {
      this.lastSweep = now;
      for (const [key, entry] of this.seen) if (entry.expiresAt <= now) this.seen.delete(key);
    }
    const prior = this.seen.get(nonce);
    if (prior !== undefined && prior.expiresAt > now && nc <= prior.nc) return false;
    this.seen.set(nonce, { nc, expiresAt: now + ttlMs });
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
