import { Catch, HttpException, Inject, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BACKEND_UNAVAILABLE_MESSAGE, isBackendUnavailable } from '@legwork/common';
import type { AppLogger } from '@legwork/platform';
import { APP_LOGGER } from '../../../core/infra.tokens';
import type { JsonResponse } from '../../../core/json-response';
import { XonError, xonErrorBody } from './xon.error';

/** The Express response with the empty-bodied end the seed's 404s need. */
export type XonResponse = JsonResponse & { end(): void };

/** Nest's own HTTP errors (no such route, a body that is not JSON, too large) in X-on words. */
function fromHttp(err: HttpException): XonError {
  const status = err.getStatus();
  if (status === 413) return new XonError(413, 'request_too_large', 'the request body is too large');
  if (status === 404) return new XonError(404, 'not_found', 'no such X-on route');
  if (status === 400) return new XonError(400, 'invalid_request', 'the request body is not valid JSON');
  return new XonError(status, 'invalid_request', err.message);
}

/** Redis or RabbitMQ away: 503, and the client may retry the same request shortly. */
function unavailable(err: unknown): XonError | undefined {
  return isBackendUnavailable(err) ? new XonError(503, 'service_unavailable', BACKEND_UNAVAILABLE_MESSAGE, undefined, false, 1) : undefined;
}

/** Every failure of an X-on route as `{"error": …}` (or the seed's empty 404) with its status. */
@Catch()
@Injectable()
export class XonExceptionFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<XonResponse>());
  }

  /** Also the dialect edge's answer (unknown routes and unreadable bodies below /v1). */
  answer(exception: unknown, res: XonResponse): void {
    const err = exception instanceof XonError ? exception : exception instanceof HttpException ? fromHttp(exception) : unavailable(exception);
    const shown = err ?? new XonError(500, 'internal_error', 'the request failed; it was logged');
    if (err === undefined) this.logger.error({ err: exception }, 'xon request failed');
    if (res.headersSent) return;
    if (shown.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="xon"');
    if (shown.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(shown.retryAfterSeconds));
    res.status(shown.status);
    if (shown.emptyBody) res.end();
    else res.json(xonErrorBody(shown));
  }
}
