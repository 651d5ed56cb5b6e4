import { applyDecorators } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { INestApplication } from '@nestjs/common';

/** Kazoo's success envelope; `data` is the route's own payload. */
export const kazooSuccessSchema = {
  type: 'object',
  required: ['auth_token', 'data', 'request_id', 'status'],
  properties: {
    auth_token: { type: 'string' },
    data: { description: 'the payload of the route' },
    revision: { type: 'string' },
    request_id: { type: 'string' },
    status: { type: 'string', enum: ['success'] },
    node: { type: 'string', description: 'base64url md5 of the answering node' },
    timestamp: { type: 'string', format: 'date-time' },
    version: { type: 'string', description: 'authenticated requests only' },
  },
};

/** Kazoo's error envelope; validation failures nest `data` as field → rule → {message, value}. */
export const kazooErrorSchema = {
  type: 'object',
  required: ['data', 'error', 'message', 'request_id', 'status'],
  properties: {
    auth_token: { type: 'string' },
    data: { type: 'object', additionalProperties: true, example: { api_key: { required: { message: 'Field is required' } } } },
    error: { type: 'string', description: 'HTTP status as a string', example: '400' },
    message: { type: 'string', example: 'invalid data' },
    request_id: { type: 'string' },
    status: { type: 'string', enum: ['error'] },
    node: { type: 'string', description: 'base64url md5 of the answering node' },
    timestamp: { type: 'string', format: 'date-time' },
    version: { type: 'string', description: 'authenticated requests only' },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid data',
  401: 'invalid_credentials (missing, unknown, expired or revoked token; wrong credentials)',
  403: 'forbidden (another account tree)',
  404: 'bad_identifier (data.cause names the id)',
  409: 'conflicting documents',
  429: 'too many requests (per-account token bucket)',
  500: 'internal server error / timeout',
};

/** Documents a route's success status and the Kazoo error envelopes it may answer with. */
export function KazooResponses(status: number, description: string, errors: number[] = [400, 401, 403, 404, 429]): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description, schema: kazooSuccessSchema }),
    ...errors.map((code) => ApiResponse({ status: code, description: ERROR_TEXT[code] ?? 'error', schema: kazooErrorSchema })),
  );
}

export const KAZOO_SECURITY = 'X-Auth-Token';

/** The OpenAPI document generated from the app's controllers. */
export function kazooOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Legwork API (Kazoo dialect)')
    .setDescription('Crossbar-compatible REST API: every /v2 answer is wrapped in the Kazoo envelope; get a token from PUT /v2/api_auth or PUT /v2/user_auth and send it as X-Auth-Token (or ?auth_token=, or Authorization: Bearer).')
    .setVersion('2')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' }, KAZOO_SECURITY)
    .addGlobalParameters({ name: 'X-Request-ID', in: 'header', required: false, schema: { type: 'string' }, description: 'echoed as request_id' })
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  doc.security = [{ [KAZOO_SECURITY]: [] }];
  return doc;
}

/** Swagger UI at /docs, JSON at /docs-json. */
export function setupKazooOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => kazooOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

