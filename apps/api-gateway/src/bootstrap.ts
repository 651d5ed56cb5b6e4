import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { ApiGatewayConfig } from './api-gateway.config';
import { ApiGatewayModule, type ApiGatewayModuleOptions } from './api-gateway.module';
import { verifyJsonBody } from './core/json-body';
import { setupKazooOpenApi } from './dialects/kazoo/core/kazoo.openapi';
import { APP_NAME } from './app.identity';
import { isOAuthForm } from './dialects/voipnow/core/voipnow-body';

/** What the gateway sets on its HTTP app before it listens: body parsing for every dialect, the OpenAPI document. */
export function configureApiGateway(app: INestApplication, config: ApiGatewayConfig): void {
  // Kazoo clients (and Kazoo's own curl examples) send JSON bodies without a JSON content type.
  // Bodies must be UTF-8 and nest at most MAX_BODY_DEPTH levels: checked on the raw bytes, before parsing.
  (app as NestExpressApplication).useBodyParser('json', { type: (req: IncomingMessage) => !isOAuthForm(req), verify: verifyJsonBody });
  // OAuth clients post the token request as a form (RFC 6749 §4.4.2).
  (app as NestExpressApplication).useBodyParser('urlencoded', { type: isOAuthForm, extended: false, limit: '8kb' });
  if (config.OPENAPI_ENABLED) setupKazooOpenApi(app);
}

/** Starts the api-gateway app on HOST:API_GATEWAY_PORT over the given infrastructure, with the console at /console and OpenAPI at /docs. */
export async function bootstrapApiGateway(ctx: AppContext<ApiGatewayConfig>, opts: ApiGatewayModuleOptions = {}): Promise<AppHandle> {
  const handle = await runApp({
    name: APP_NAME,
    module: ApiGatewayModule.forRoot(ctx, opts),
    host: ctx.config.HOST,
    port: ctx.config.API_GATEWAY_PORT,
    logger: ctx.logger,
    configure: (app) => configureApiGateway(app, ctx.config),
  });
  const details = [...(ctx.config.CONSOLE_ENABLED ? [`console: ${handle.url}/console/`] : []), ...(ctx.config.OPENAPI_ENABLED ? [`docs: ${handle.url}/docs`] : [])];
  return details.length > 0 ? { ...handle, details } : handle;
}
