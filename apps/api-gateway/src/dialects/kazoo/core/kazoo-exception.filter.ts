import { Catch, Inject, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { AppLogger } from '@legwork/platform';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { APP_CONFIG, APP_LOGGER } from '../../../core/infra.tokens';
import type { KazooRequest } from './kazoo.contract';
import { errorBody, stampNode } from './kazoo-envelope';
import { toKazooError } from './kazoo-error.map';

/** The Express response, as much of it as the filter uses. */
export interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** Answers every failure of a Kazoo route (attached by KazooController, and by KazooEdge below /v2) in Kazoo's error shape. */
@Catch()
@Injectable()
export class KazooExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.answer(exception, http.getRequest<KazooRequest>(), http.getResponse<JsonResponse>());
  }

  answer(exception: unknown, req: KazooRequest & { originalUrl?: string }, res: JsonResponse): void {
    const err = toKazooError(exception);
    if (err.status >= 500) this.logger.error({ err: exception, url: req.originalUrl ?? req.url }, 'kazoo request failed');
    if (res.headersSent) return;
    stampNode(req, this.config.NODE_ID);
    const body = errorBody(req, err);
    res.setHeader('X-Request-ID', body.request_id);
    if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res.status(err.status).json(body);
  }
}
