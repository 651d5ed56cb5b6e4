import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import { BasixError, basixErrorBody } from './basix.error';

interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** Nest's own HTTP errors (unknown method, payload too large) in Basix words. */
function fromHttp(err: HttpException): BasixError {
  const status = err.getStatus();
  if (status === 413) return new BasixError(413, 'request_too_large', 'the request body is too large');
  if (status === 404) return new BasixError(404, 'not_found', 'no such method');
  return new BasixError(status, 'invalid_request', err.message);
}

/** Every failure of a Basix route as `{"result_code":500,"error":{"id":...}}` with the matching HTTP status. */
@Catch()
export class BasixExceptionFilter implements ExceptionFilter {
  constructor(@Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<unknown>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<JsonResponse>();
    const err = exception instanceof BasixError ? exception : exception instanceof HttpException ? fromHttp(exception) : undefined;
    const shown = err ?? new BasixError(500, 'internal_error', 'the request failed; it was logged');
    if (err === undefined) this.ctx.logger.error({ err: exception }, 'basix request failed');
    if (res.headersSent) return;
    if (shown.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="basix", charset="UTF-8"');
    if (shown.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(shown.retryAfterSeconds));
    res.status(shown.status).json(basixErrorBody(shown));
  }
}
