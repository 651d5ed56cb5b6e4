import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { ApiGatewayConfig } from './api-gateway.config';
import { ApiGatewayModule, type ApiGatewayModuleOptions } from './api-gateway.module';
import { verifyJsonBody } from './core/json-body';
import { setupKazooOpenApi } from './dialects/kazoo/core/kazoo.openapi';

/** What the gateway sets on its HTTP app before it listens: body parsing for every dialect, the OpenAPI document. */
export function configureApiGateway(app: INestApplication, config: ApiGatewayConfig): void {
  // Kazoo clients (and Kazoo's own curl examples) send JSON bodies without a JSON content type.
  // Bodies must be UTF-8 and nest at most MAX_BODY_DEPTH levels: checked on the raw bytes, before parsing.
  (app as NestExpressApplication).useBodyParser('json', { type: () => true, verify: verifyJsonBody });
  if (config.OPENAPI_ENABLED) setupKazooOpenApi(app);
}

/** Starts the api-gateway app on HOST:API_GATEWAY_PORT over the given infrastructure, with OpenAPI at /docs. */
export async function bootstrapApiGateway(ctx: AppContext<ApiGatewayConfig>, opts: ApiGatewayModuleOptions = {}): Promise<AppHandle> {
  const handle = await runApp({
    name: 'api-gateway',
    module: ApiGatewayModule.forRoot(ctx, opts),
    host: ctx.config.HOST,
    port: ctx.config.API_GATEWAY_PORT,
    logger: ctx.logger,
    configure: (app) => configureApiGateway(app, ctx.config),
  });
  return ctx.config.OPENAPI_ENABLED ? { ...handle, details: [`docs: ${handle.url}/docs`] } : handle;
}
