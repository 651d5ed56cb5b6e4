import { Module, type DynamicModule } from '@nestjs/common';
import { KazooAuthModule } from './auth/kazoo-auth.module';
import type { KazooConsole } from './auth/master-account.provider';
import { KazooCoreModule } from './core/kazoo-core.module';
import { KazooProvisioningModule } from './provisioning/kazoo-provisioning.module';
import { KazooQuickcallModule } from './quickcall/kazoo-quickcall.module';
import { KazooWebhooksModule } from './webhooks/kazoo-webhooks.module';

/** The Kazoo dialect (Crossbar /v2 routes); the gateway imports this one module per dialect. */
@Module({})
export class KazooModule {
  static forRoot(print: KazooConsole): DynamicModule {
    return {
      module: KazooModule,
      imports: [KazooCoreModule, KazooAuthModule.forRoot(print), KazooProvisioningModule, KazooQuickcallModule, KazooWebhooksModule],
    };
  }
}
