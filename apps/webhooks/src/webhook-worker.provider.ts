import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { WebhookWorker } from '@legwork/webhook-delivery';
import type { WebhooksConfig } from './webhooks.config';
import { WEBHOOKS_CONTEXT } from './webhooks.tokens';
import { APP_NAME, APP_VERSION } from './app.identity';

/** Runs the delivery worker for the app's lifetime. */
@Injectable()
export class WebhookWorkerService implements OnModuleInit, OnApplicationShutdown {
  readonly worker: WebhookWorker;

  constructor(@Inject(WEBHOOKS_CONTEXT) ctx: AppContext<WebhooksConfig>) {
    const { WEBHOOK_ALLOWED_HOSTS, WEBHOOK_RETRY_TIERS_MS, WEBHOOK_PARTITIONS, WEBHOOK_ORDER_HOLD_MS } = ctx.config;
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
        ...(WEBHOOK_RETRY_TIERS_MS ? { retryTiersMs: WEBHOOK_RETRY_TIERS_MS } : {}),
      },
    });
  }

  onModuleInit(): Promise<void> {
    return this.worker.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
