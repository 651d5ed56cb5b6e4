import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { ApiGatewayConfig } from './api-gateway.config';
import { ApiGatewayModule } from './api-gateway.module';

/** Starts the api-gateway app on HOST:API_GATEWAY_PORT over the given infrastructure. */
export function bootstrapApiGateway(ctx: AppContext<ApiGatewayConfig>): Promise<AppHandle> {
  return runApp({
    name: 'api-gateway',
    module: ApiGatewayModule.forRoot(ctx),
    host: ctx.config.HOST,
    port: ctx.config.API_GATEWAY_PORT,
    logger: ctx.logger,
  });
}
