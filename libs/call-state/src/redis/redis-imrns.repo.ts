import type { ImrnBinding, ImrnRepository } from '../call-store';
import { decodeImrnBinding, isImrnCandidate, parseImrnAllocation } from '../imrn-reservation';
import { claimImrn } from './imrns.lua';
import { type RedisContext, guard } from './redis-context';

/** One key per held IMRN (`{imrn:N}`), set only if absent and expiring with the reservation; a claim takes it. */
export class RedisImrnRepository implements ImrnRepository {
  constructor(private readonly ctx: RedisContext) {}

  async allocate(pool: readonly string[], binding: ImrnBinding, ttlMs: number): Promise<string | null> {
    const input = parseImrnAllocation(pool, binding, ttlMs);
    const value = JSON.stringify(input.binding);
    return guard('imrns.allocate', async () => {
      for (const imrn of input.pool) {
        if ((await this.ctx.redis.set(this.ctx.keys.imrn(imrn), value, 'PX', input.ttlMs, 'NX')) === 'OK') return imrn;
      }
      return null;
    });
  }

  async claim(imrn: string): Promise<ImrnBinding | null> {
    if (!isImrnCandidate(imrn)) return null;
    return guard('imrns.claim', async () => decodeImrnBinding((await claimImrn.run(this.ctx.redis, [this.ctx.keys.imrn(imrn)], [])) as string | null));
  }
}
