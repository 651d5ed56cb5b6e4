import type { ImrnBinding, ImrnRepository } from '../call-store';
import type { Clock } from '../clock';
import { isImrnCandidate, parseImrnAllocation } from '../imrn-reservation';

/** In-process IMRN reservations: a number is free once claimed or past its expiry. */
export class MemoryImrnRepository implements ImrnRepository {
  private readonly held = new Map<string, { binding: ImrnBinding; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async allocate(pool: readonly string[], binding: ImrnBinding, ttlMs: number): Promise<string | null> {
    const input = parseImrnAllocation(pool, binding, ttlMs);
    const now = this.clock.now();
    const free = input.pool.find((n) => (this.held.get(n)?.expiresAt ?? 0) <= now);
    if (free === undefined) return null;
    this.held.set(free, { binding: input.binding, expiresAt: now + input.ttlMs });
    return free;
  }

  async claim(imrn: string): Promise<ImrnBinding | null> {
    if (!isImrnCandidate(imrn)) return null;
    const held = this.held.get(imrn);
    this.held.delete(imrn);
    return held !== undefined && held.expiresAt > this.clock.now() ? held.binding : null;
  }
}
