import type { Logger } from '@legwork/common';
import { closeRedisClient, createRedisClient, type RedisClient, type RedisTarget } from '@legwork/redis';
import type { CallStore } from '../call-store';
import { CallStoreKeys } from '../call-store.keys';
import type { Clock } from '../clock';
import type { EventLogBounds } from '../event-log';
import type { RedisContext } from './redis-context';
import { guard } from './redis-context';
import { RedisCallRepository } from './redis-calls.repo';
import { RedisEventLog } from './redis-event-log';
import { RedisIdempotencyRepository } from './redis-idempotency.repo';
import { RedisImrnRepository } from './redis-imrns.repo';
import { RedisNonceRepository } from './redis-nonces.repo';
import { RedisLimitRepository } from './redis-limits.repo';
import { RedisNodeRegistry } from './redis-nodes.registry';
import { RedisRegistrationRepository } from './redis-registrations.repo';

export interface RedisCallStoreConfig {
  target: RedisTarget;
  prefix: string;
  logger: Logger;
  clock: Clock;
  endedTtlMs: number;
  eventLog: EventLogBounds;
  autoPipelining: boolean;
  singleSlotScripts: boolean;
}

/** Distributed mode: every section over one ioredis connection (a Redis or a Cluster). */
export class RedisCallStore implements CallStore {
  readonly calls: RedisCallRepository;
  readonly nodes: RedisNodeRegistry;
  readonly registrations: RedisRegistrationRepository;
  readonly limits: RedisLimitRepository;
  readonly idempotency: RedisIdempotencyRepository;
  readonly nonces: RedisNonceRepository;
  readonly events: RedisEventLog;
  readonly imrns: RedisImrnRepository;
  private readonly redis: RedisClient;

  constructor(config: RedisCallStoreConfig) {
    // Few retries per command: a caller waiting on a dead Redis should hear store_unavailable soon.
    this.redis = createRedisClient(config.target, { maxRetriesPerRequest: 2, connectTimeout: 5000, autoPipelining: config.autoPipelining });
    this.redis.on('error', (err: Error) => config.logger.warn({ err: err.message }, 'call-state redis error'));
    const ctx: RedisContext = { redis: this.redis, keys: new CallStoreKeys(config.prefix), clock: config.clock, logger: config.logger, endedTtlMs: config.endedTtlMs, crossSlot: !this.redis.isCluster && !config.singleSlotScripts };
    this.calls = new RedisCallRepository(ctx);
    this.nodes = new RedisNodeRegistry(ctx);
    this.registrations = new RedisRegistrationRepository(ctx);
    this.limits = new RedisLimitRepository(ctx, this.nodes);
    this.idempotency = new RedisIdempotencyRepository(ctx);
    this.nonces = new RedisNonceRepository(ctx);
    this.events = new RedisEventLog(ctx, config.eventLog);
    this.imrns = new RedisImrnRepository(ctx);
  }

  async ping(): Promise<void> {
    return guard('ping', async () => {
      await this.redis.ping();
    });
  }

  async close(): Promise<void> {
    await closeRedisClient(this.redis);
  }
}
