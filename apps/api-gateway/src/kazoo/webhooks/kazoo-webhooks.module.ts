import { Module } from '@nestjs/common';
import { KazooWebhooksController } from './kazoo-webhooks.controller';
import { KazooWebhooksService } from './kazoo-webhooks.service';

/** Webhook subscriptions under /v2/accounts/{ACCOUNT_ID}/webhooks (delivery runs in the webhooks app). */
@Module({ controllers: [KazooWebhooksController], providers: [KazooWebhooksService] })
export class KazooWebhooksModule {}
