import { Module } from '@nestjs/common';
import { KazooAuthModule } from './auth/kazoo-auth.module';
import { KazooCoreModule } from './core/kazoo-core.module';
import { KazooProvisioningModule } from './provisioning/kazoo-provisioning.module';
import { KazooQuickcallModule } from './quickcall/kazoo-quickcall.module';
import { KazooRecordingsModule } from './recordings/kazoo-recordings.module';
import { KazooWebhooksModule } from './webhooks/kazoo-webhooks.module';

/** The Kazoo dialect (Crossbar /v2 routes); the gateway imports this one module per dialect. */
@Module({
  imports: [KazooCoreModule, KazooAuthModule, KazooProvisioningModule, KazooQuickcallModule, KazooRecordingsModule, KazooWebhooksModule],
})
export class KazooModule {}
