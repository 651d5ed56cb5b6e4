import { Catch, Inject, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import type { KazooRequest } from './kazoo.contract';
import { errorBody, isKazooPath, stampNode } from './kazoo-envelope';
import { toKazooError } from './kazoo-error.map';

interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** Answers every failure below /v2 in Kazoo's error shape; other routes keep Nest's default handling. */
@Catch()
export class KazooExceptionFilter extends BaseExceptionFilter {
  constructor(@Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<{ NODE_ID: string }>) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<KazooRequest>();
    if (host.getType() !== 'http' || !isKazooPath(req.url)) return super.catch(exception, host);
    const res = host.switchToHttp().getResponse<JsonResponse>();
    const err = toKazooError(exception);
    if (err.status >= 500) this.ctx.logger.error({ err: exception, url: req.url }, 'kazoo request failed');
    if (res.headersSent) return;
    stampNode(req, this.ctx.config.NODE_ID);
    const body = errorBody(req, err);
    res.setHeader('X-Request-ID', body.request_id);
    if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res.status(err.status).json(body);
  }
}
