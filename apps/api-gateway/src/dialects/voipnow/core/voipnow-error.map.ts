import { HttpException } from '@nestjs/common';
import { BACKEND_UNAVAILABLE_MESSAGE, isBackendUnavailable } from '@legwork/common';
import { isDirectoryError } from '@legwork/directory';
import { VoipnowError } from './voipnow-error';

/** Body-parser failures arrive as plain errors with a `type` (entity.parse.failed, entity.too.large, ...). */
function fromBodyParser(err: unknown): VoipnowError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (type === 'entity.parse.failed') return VoipnowError.invalid('request_invalid', 'the request body is not valid JSON');
  if (type === 'entity.too.large') return new VoipnowError(413, 'request_too_large', 'the request body is too large');
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return new VoipnowError(status, 'request_invalid', (err as Error).message);
  return null;
}

/** Every error a VoipNow route can meet, as VoipNow's status and code. */
export function toVoipnowError(err: unknown): VoipnowError {
  if (err instanceof VoipnowError) return err;
  if (isDirectoryError(err)) {
    switch (err.code) {
      case 'unauthorized':
        return VoipnowError.unauthorized(err.message);
      case 'forbidden':
        return VoipnowError.forbidden(err.message);
      case 'not_found':
        return VoipnowError.notFound('resource');
      default:
        return VoipnowError.invalid('request_invalid', err.message);
    }
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status >= 500) return new VoipnowError(500, 'internal_error', 'internal server error');
    const fromCause = fromBodyParser(err.cause);
    if (fromCause !== null) return fromCause;
    if (status === 400 && err.cause instanceof SyntaxError) return VoipnowError.invalid('request_invalid', 'the request body is not valid JSON');
    return new VoipnowError(status, status === 404 ? 'not_found' : 'request_invalid', err.message);
  }
  // Redis or RabbitMQ away: the client may retry the same request shortly
  if (isBackendUnavailable(err)) return new VoipnowError(503, 'service_unavailable', BACKEND_UNAVAILABLE_MESSAGE, { 'Retry-After': '1' });
  return fromBodyParser(err) ?? new VoipnowError(500, 'internal_error', 'internal server error');
}
