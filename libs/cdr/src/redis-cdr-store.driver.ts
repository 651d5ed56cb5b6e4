import { closeRedisClient, createRedisClient, type RedisClient, type RedisTarget } from '@legwork/redis';
import type { Logger } from '@legwork/common';
import { CdrError } from './cdr.errors';
import { checkCdr, checkQuery, idOfSortKey, pageBounds, sortKey } from './cdr.order';
import type { Cdr, CdrPage, CdrQuery, CdrStore } from './cdr.store';

export interface RedisCdrStoreOptions {
  target: RedisTarget;
  prefix: string;
  retentionMs: number;
  logger: Logger;
}

/**
 * `{prefix}{cdr:ACCOUNT}:doc:ID` holds the record with a TTL; `{prefix}{cdr:ACCOUNT}:idx` is a
 * lexical sorted set of `createdAt:id` for range and paging. One hash tag per account: cluster-safe.
 */
export class RedisCdrStore implements CdrStore {
  private readonly redis: RedisClient;

  constructor(private readonly opts: RedisCdrStoreOptions) {
    this.redis = createRedisClient(opts.target, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.redis.on('error', (err: unknown) => opts.logger.warn({ err }, 'cdr store: redis error'));
  }

  async put(input: Cdr): Promise<boolean> {
    const cdr = checkCdr(input);
    const stored = await this.run(() => this.redis.set(this.docKey(cdr.accountId, cdr.id), JSON.stringify(cdr), 'PX', this.opts.retentionMs, 'NX'));
    if (stored !== 'OK') return false;
    const idx = this.indexKey(cdr.accountId);
    // the index outlives its newest record by no more than the retention; stale members are pruned on read
    await this.run(() => this.redis.multi().zadd(idx, 0, sortKey(cdr.createdAt, cdr.id)).pexpire(idx, this.opts.retentionMs).exec());
    return true;
  }

  async get(accountId: string, cdrId: string): Promise<Cdr | null> {
    const raw = await this.run(() => this.redis.get(this.docKey(accountId, cdrId)));
    return raw === null ? null : (JSON.parse(raw) as Cdr);
  }

  async list(accountId: string, input: CdrQuery): Promise<CdrPage> {
    const query = checkQuery(input);
    const { max, min } = pageBounds(query);
    const keys = await this.run(() =>
      this.redis.zrevrangebylex(this.indexKey(accountId), max === undefined ? '+' : `[${max}`, min === undefined ? '-' : `[${min}`, 'LIMIT', 0, query.pageSize + 1),
    );
    const page = keys.slice(0, query.pageSize);
    const raws = page.length === 0 ? [] : await this.run(() => this.redis.mget(page.map((k) => this.docKey(accountId, idOfSortKey(k)))));
    const stale = page.filter((_, i) => raws[i] === null);
    if (stale.length > 0) await this.run(() => this.redis.zrem(this.indexKey(accountId), ...stale));
    const items = raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Cdr);
    const next = keys[query.pageSize];
    return { items, ...(next !== undefined ? { nextStartKey: next } : {}) };
  }

  async ping(): Promise<void> {
    await this.run(() => this.redis.ping());
  }

  async close(): Promise<void> {
    await closeRedisClient(this.redis);
  }

  private docKey(accountId: string, id: string): string {
    return `${this.opts.prefix}{cdr:${accountId}}:doc:${id}`;
  }

  private indexKey(accountId: string): string {
    return `${this.opts.prefix}{cdr:${accountId}}:idx`;
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      return await op();
    } catch (err) {
      throw new CdrError('store_unavailable', `cdr store: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
