import { Module } from '@nestjs/common';
import { KazooCoreModule } from '../core/kazoo-core.module';
import { KazooWebhookCatalogController } from './kazoo-webhook-catalog.controller';
import { KazooWebhooksController } from './kazoo-webhooks.controller';
import { KazooWebhooksService } from './kazoo-webhooks.service';

/** Webhook subscriptions under /v2/accounts/{ACCOUNT_ID}/webhooks and the hook catalog at /v2/webhooks (delivery runs in the webhooks app). */
@Module({ imports: [KazooCoreModule], controllers: [KazooWebhookCatalogController, KazooWebhooksController], providers: [KazooWebhooksService] })
export class KazooWebhooksModule {}
