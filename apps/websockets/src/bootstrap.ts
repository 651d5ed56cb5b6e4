import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { WebsocketsConfig } from './websockets.config';
import { WebsocketsModule } from './websockets.module';
import { APP_NAME } from './app.identity';

/** Starts the websockets app on HOST:WEBSOCKETS_PORT over the given infrastructure. */
export function bootstrapWebsockets(ctx: AppContext<WebsocketsConfig>): Promise<AppHandle> {
  return runApp({
    name: APP_NAME,
    module: WebsocketsModule.forRoot(ctx),
    host: ctx.config.HOST,
    port: ctx.config.WEBSOCKETS_PORT,
    logger: ctx.logger,
  });
}
