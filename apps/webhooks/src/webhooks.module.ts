import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import type { WebhooksConfig } from './webhooks.config';

export const WEBHOOKS_CONTEXT = Symbol('WEBHOOKS_CONTEXT');

/** The webhooks app (call events delivered to HTTP subscribers); features arrive as modules imported here. */
@Module({})
export class WebhooksModule {
  static forRoot(ctx: AppContext<WebhooksConfig>): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [ObservabilityModule.forRoot({ appName: 'webhooks', checks: infrastructureChecks(ctx.infra) })],
      providers: [{ provide: WEBHOOKS_CONTEXT, useValue: ctx }],
    };
  }
}
