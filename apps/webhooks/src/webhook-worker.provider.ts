import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { closeRedisClient, createRedisClient, type RedisClient, redisTargetOf } from '@legwork/redis';
import { WebhookWorker } from '@legwork/webhook-delivery';
import type { WebhooksConfig } from './webhooks.config';
import { WEBHOOKS_CONTEXT } from './webhooks.tokens';
import { APP_NAME, APP_VERSION } from './app.identity';

/** Runs the delivery worker for the app's lifetime. */
@Injectable()
export class WebhookWorkerService implements OnModuleInit, OnApplicationShutdown {
  readonly worker: WebhookWorker;
  /** Outage state and backlogs live on the platform's Redis (none in embedded mode: no outage mode). */
  private readonly redis: RedisClient | undefined;

  constructor(@Inject(WEBHOOKS_CONTEXT) ctx: AppContext<WebhooksConfig>) {
    const { WEBHOOK_ALLOWED_HOSTS, WEBHOOK_RETRY_TIERS_MS, WEBHOOK_PARTITIONS, WEBHOOK_ORDER_HOLD_MS, WEBHOOK_OUTAGE_MAX_SECONDS, WEBHOOK_OUTAGE_BACKLOG_MAX } = ctx.config;
    const target = redisTargetOf({ url: ctx.config.REDIS_URL || undefined, clusterNodes: ctx.config.REDIS_CLUSTER_NODES });
    this.redis = target ? createRedisClient(target, { maxRetriesPerRequest: 20 }) : undefined;
    this.worker = new WebhookWorker({
      bus: ctx.infra.bus,
      directory: ctx.infra.directory,
      logger: ctx.logger,
      appName: APP_NAME,
      appVersion: APP_VERSION,
      config: {
        allowedHosts: WEBHOOK_ALLOWED_HOSTS,
        partitions: WEBHOOK_PARTITIONS,
        orderHoldMs: WEBHOOK_ORDER_HOLD_MS,
        outageMaxMs: WEBHOOK_OUTAGE_MAX_SECONDS * 1000,
        outageBacklogMax: WEBHOOK_OUTAGE_BACKLOG_MAX,
        ...(WEBHOOK_RETRY_TIERS_MS ? { retryTiersMs: WEBHOOK_RETRY_TIERS_MS } : {}),
      },
      ...(this.redis ? { outage: { redis: this.redis, prefix: ctx.config.REDIS_PREFIX } } : {}),
    });
  }

  onModuleInit(): Promise<void> {
    return this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    if (this.redis) await closeRedisClient(this.redis);
  }
}
