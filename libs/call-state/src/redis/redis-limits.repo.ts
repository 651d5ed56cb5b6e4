import { randomBytes } from 'node:crypto';
import type { BucketCap, ChainVerdict, ChannelCap, Holder, LimitRepository } from '../call-store';
import { acquireAlong, bucketAlong, releaseAlong } from '../limits.chain';
import { check } from '../call-store.validate';
import { acquireChannel, acquireIndexedChannel, rateWindow, reapChannels, tokenBucket } from './limits.lua';
import { type RedisContext, guard } from './redis-context';
import type { RedisNodeRegistry } from './redis-nodes.registry';

const WINDOW_MS = 1000;

export class RedisLimitRepository implements LimitRepository {
  constructor(
    private readonly ctx: RedisContext,
    private readonly nodes: RedisNodeRegistry,
  ) {}

  async acquire(accountId: string, callId: string, nodeId: string, limit: number): Promise<boolean> {
    const args = [check.id(callId, 'callId'), check.id(nodeId, 'nodeId'), check.count(limit, 'limit')];
    const key = this.ctx.keys.accountChannels(check.id(accountId, 'accountId'));
    return guard('limits.acquire', async () => {
      const { redis, keys } = this.ctx;
      // Indexed before holding, so a reap of this node can never miss the account (one Redis: in the same script).
      if (this.ctx.crossSlot) {
        if ((await acquireIndexedChannel.run(redis, [key, keys.nodeAccounts(nodeId)], [...args, accountId])) === 1) return true;
      } else {
        await redis.sadd(keys.nodeAccounts(nodeId), accountId);
        if ((await acquireChannel.run(redis, [key], args)) === 1) return true;
      }
      const holderNodes = [...new Set(await redis.hvals(key))];
      const dead = holderNodes.length === 0 ? [] : await this.nodes.dead(holderNodes);
      if (dead.length === 0) return false;
      return (await acquireChannel.run(redis, [key], [...args, ...dead])) === 1;
    });
  }

  async release(accountId: string, callId: string): Promise<boolean> {
    const key = this.ctx.keys.accountChannels(check.id(accountId, 'accountId'));
    const field = check.id(callId, 'callId');
    return guard('limits.release', async () => (await this.ctx.redis.hdel(key, field)) === 1);
  }

  async inUse(accountId: string): Promise<number> {
    const key = this.ctx.keys.accountChannels(check.id(accountId, 'accountId'));
    return guard('limits.inUse', () => this.ctx.redis.hlen(key));
  }

  async holders(accountId: string): Promise<Holder[]> {
    const key = this.ctx.keys.accountChannels(check.id(accountId, 'accountId'));
    return guard('limits.holders', async () => {
      const all = await this.ctx.redis.hgetall(key);
      return Object.entries(all)
        .map(([callId, nodeId]) => ({ callId, nodeId }))
        .sort((a, b) => a.callId.localeCompare(b.callId));
    });
  }

  async reap(nodeId: string): Promise<number> {
    const indexKey = this.ctx.keys.nodeAccounts(check.id(nodeId, 'nodeId'));
    return guard('limits.reap', async () => {
      const { redis, keys } = this.ctx;
      const accounts = await redis.smembers(indexKey);
      let dropped = 0;
      for (const accountId of accounts) {
        dropped += Number(await reapChannels.run(redis, [keys.accountChannels(accountId)], [nodeId]));
      }
      // SREM what was handled rather than DEL: an acquire may have indexed a new account meanwhile.
      if (accounts.length > 0) await redis.srem(indexKey, ...accounts);
      return dropped;
    });
  }

  async rate(accountId: string, limitPerSecond: number): Promise<boolean> {
    const key = this.ctx.keys.accountCps(check.id(accountId, 'accountId'));
    const limit = check.count(limitPerSecond, 'limitPerSecond');
    return guard('limits.rate', async () => {
      const now = this.ctx.clock.now();
      const member = `${now}-${randomBytes(6).toString('hex')}`;
      return (await rateWindow.run(this.ctx.redis, [key], [now, WINDOW_MS, limit, member])) === 1;
    });
  }

  async bucket(accountId: string, burst: number, refillPerSecond: number): Promise<boolean> {
    const key = this.ctx.keys.accountBucket(check.id(accountId, 'accountId'));
    const args = [check.count(burst, 'burst'), check.rate(refillPerSecond, 'refillPerSecond')];
    return guard('limits.bucket', async () => (await tokenBucket.run(this.ctx.redis, [key], [this.ctx.clock.now(), ...args])) === 1);
  }

  acquireAlong(chain: ChannelCap[], callId: string, nodeId: string): Promise<ChainVerdict> {
    return acquireAlong(this, chain, callId, nodeId);
  }

  releaseAlong(accountIds: string[], callId: string): Promise<boolean> {
    return releaseAlong(this, accountIds, callId);
  }

  bucketAlong(chain: BucketCap[]): Promise<ChainVerdict> {
    return bucketAlong(this, chain);
  }
}
