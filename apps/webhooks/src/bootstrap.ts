import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { WebhooksConfig } from './webhooks.config';
import { WebhooksModule } from './webhooks.module';
import { APP_NAME } from './app.identity';

/** Starts the webhooks app on HOST:WEBHOOKS_PORT over the given infrastructure. */
export function bootstrapWebhooks(ctx: AppContext<WebhooksConfig>): Promise<AppHandle> {
  return runApp({
    name: APP_NAME,
    module: WebhooksModule.forRoot(ctx),
    host: ctx.config.HOST,
    port: ctx.config.WEBHOOKS_PORT,
    logger: ctx.logger,
  });
}
