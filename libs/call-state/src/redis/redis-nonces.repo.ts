import type { NonceRepository } from '../call-store';
import { parseNonceCount } from '../nonce-count';
import { acceptNonceCount } from './nonces.lua';
import { type RedisContext, guard } from './redis-context';

/** One key per nonce (`{nonce:N}`, one slot), holding the highest nonce-count accepted, expiring with the nonce. */
export class RedisNonceRepository implements NonceRepository {
  constructor(private readonly ctx: RedisContext) {}

  async accept(nonce: string, nc: number, ttlMs: number): Promise<boolean> {
    const input = parseNonceCount(nonce, nc, ttlMs);
    return guard('nonces.accept', async () => (await acceptNonceCount.run(this.ctx.redis, [this.ctx.keys.nonce(input.nonce)], [input.nc, input.ttlMs])) === 1);
  }
}
