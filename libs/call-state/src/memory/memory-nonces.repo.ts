import type { NonceRepository } from '../call-store';
import type { Clock } from '../clock';
import { parseNonceCount } from '../nonce-count';

interface Seen {
  nc: number;
  expiresAt: number;
}

/** Sweep expired nonces at most this often (clock time): memory is bounded by nonce lifetimes, never by a count. */
const SWEEP_EVERY_MS = 1000;

export class MemoryNonceRepository implements NonceRepository {
  private readonly seen = new Map<string, Seen>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  async accept(nonce: string, nc: number, ttlMs: number): Promise<boolean> {
    const input = parseNonceCount(nonce, nc, ttlMs);
    const now = this.clock.now();
    this.sweep(now);
    const prior = this.seen.get(input.nonce);
    if (prior !== undefined && prior.expiresAt > now && input.nc <= prior.nc) return false;
    this.seen.set(input.nonce, { nc: input.nc, expiresAt: now + input.ttlMs });
    return true;
  }

  /** How many nonces are remembered (tests check that expiry, not a cap, bounds it). */
  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [nonce, seen] of this.seen) if (seen.expiresAt <= now) this.seen.delete(nonce);
  }
}
