import { createHash } from 'node:crypto';
import type { RedisClient } from '@legwork/redis';

type Arg = string | number;

/** A Lua script run by SHA, falling back to the source once after a Redis restart empties the cache. */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: Arg[]): Promise<unknown> {
    try {
      return await redis.call('EVALSHA', this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.call('EVAL', this.source, keys.length, ...keys, ...args);
    }
  }
}
