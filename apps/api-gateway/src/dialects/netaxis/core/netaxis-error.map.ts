import { HttpException } from '@nestjs/common';
import { LegworkError, BACKEND_UNAVAILABLE_MESSAGE, isBackendUnavailable } from '@legwork/common';
import { isDirectoryError } from '@legwork/directory';
import { NetaxisError } from './netaxis-error';

/** Body-parser failures arrive as plain errors with a `type` (entity.parse.failed, entity.too.large, ...). */
function fromBodyParser(err: unknown): NetaxisError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (type === 'entity.parse.failed') return NetaxisError.invalid('body', 'the request body is not valid JSON');
  if (type === 'entity.too.large') return new NetaxisError(413, 'REQUEST_TOO_LARGE', 'the request body is too large');
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return new NetaxisError(status, 'INVALID_REQUEST', (err as Error).message);
  return null;
}

/** Every error a Netaxis route can meet, as the dialect's status and code. */
export function toNetaxisError(err: unknown): NetaxisError {
  if (err instanceof NetaxisError) return err;
  if (isDirectoryError(err)) {
    if (err.code === 'unauthorized') return NetaxisError.unauthorized(err.message);
    if (err.code === 'forbidden') return NetaxisError.forbidden(err.message);
    if (err.code === 'not_found') return NetaxisError.notFound('resource');
    return NetaxisError.invalid(String((err.details as { field?: unknown } | undefined)?.field ?? 'body'), err.message);
  }
  // a value the origination builder refuses to put on the wire (checked there again, after this dialect's own rules)
  if (err instanceof LegworkError && err.code === 'invalid_spec') return NetaxisError.invalid(String((err.details as { field?: unknown } | undefined)?.field ?? 'body'), err.message);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status >= 500) return new NetaxisError(500, 'INTERNAL_ERROR', 'internal server error');
    const fromCause = fromBodyParser(err.cause);
    if (fromCause !== null) return fromCause;
    if (status === 400 && err.cause instanceof SyntaxError) return NetaxisError.invalid('body', 'the request body is not valid JSON');
    return new NetaxisError(status, status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', err.message);
  }
  // Redis or RabbitMQ away: the client may retry the same request shortly
  if (isBackendUnavailable(err)) return new NetaxisError(503, 'SERVICE_UNAVAILABLE', BACKEND_UNAVAILABLE_MESSAGE, { headers: { 'Retry-After': '1' } });
  return fromBodyParser(err) ?? new NetaxisError(500, 'INTERNAL_ERROR', 'internal server error');
}
