import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import { WebhookWorkerService } from './webhook-worker.provider';
import type { WebhooksConfig } from './webhooks.config';
import { WEBHOOKS_CONTEXT } from './webhooks.tokens';
import { APP_NAME } from './app.identity';

export { WEBHOOKS_CONTEXT };

/** The webhooks app: call events delivered to HTTP subscribers by the delivery worker. */
@Module({})
export class WebhooksModule {
  static forRoot(ctx: AppContext<WebhooksConfig>): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [ObservabilityModule.forRoot({ appName: APP_NAME, checks: infrastructureChecks(ctx.infra) })],
      providers: [{ provide: WEBHOOKS_CONTEXT, useValue: ctx }, WebhookWorkerService],
    };
  }
}
