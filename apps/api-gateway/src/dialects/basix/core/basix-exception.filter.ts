import { Catch, HttpException, Inject, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BACKEND_UNAVAILABLE_MESSAGE, isBackendUnavailable } from '@legwork/common';
import type { AppLogger } from '@legwork/platform';
import { APP_LOGGER } from '../../../core/infra.tokens';
import type { JsonResponse } from '../../../core/json-response';
import { BasixError, basixErrorBody } from './basix.error';

/** Nest's own HTTP errors (no such route, a body that is not JSON, too large) in Basix words. */
function fromHttp(err: HttpException): BasixError {
  const status = err.getStatus();
  if (status === 413) return new BasixError(413, 'request_too_large', 'the request body is too large');
  if (status === 404) return new BasixError(404, 'not_found', 'no such Basix method');
  if (status === 400) return new BasixError(400, 'invalid_json', `the request body is not valid JSON: ${err.message}`);
  return new BasixError(status, 'invalid_request', err.message);
}

/** Redis or RabbitMQ away: 503, and the client may retry the same request shortly. */
function unavailable(err: unknown): BasixError | undefined {
  return isBackendUnavailable(err) ? new BasixError(503, 'service_unavailable', BACKEND_UNAVAILABLE_MESSAGE, undefined, 1) : undefined;
}

/** Every failure of a Basix route as `{"result_code":500,"error":{"id":...}}` with the matching HTTP status. */
@Catch()
@Injectable()
export class BasixExceptionFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<JsonResponse>());
  }

  /** Also the dialect edge's answer (unknown routes and unreadable bodies below /basix). */
  answer(exception: unknown, res: JsonResponse): void {
    const err = exception instanceof BasixError ? exception : exception instanceof HttpException ? fromHttp(exception) : unavailable(exception);
    const shown = err ?? new BasixError(500, 'internal_error', 'the request failed; it was logged');
    if (err === undefined) this.logger.error({ err: exception }, 'basix request failed');
    if (res.headersSent) return;
    if (shown.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="basix", charset="UTF-8"');
    if (shown.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(shown.retryAfterSeconds));
    res.status(shown.status).json(basixErrorBody(shown));
  }
}
