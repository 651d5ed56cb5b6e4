import { HttpException } from '@nestjs/common';
import { isBusError } from '@legwork/bus';
import { BACKEND_UNAVAILABLE_MESSAGE, isBackendUnavailable } from '@legwork/common';
import { CallStateError } from '@legwork/call-state';
import { ContractError } from '@legwork/contracts';
import { isDirectoryError, type DirectoryError } from '@legwork/directory';
import { isOriginationClientError, type OriginationClientError } from '@legwork/originate-client';
import { KazooError, kazooValidationError } from './kazoo.contract';

/** Kazoo's message for an HTTP status Nest raised itself (routing, body parsing). */
const HTTP_MESSAGES: Record<number, string> = {
  400: 'invalid request',
  401: 'invalid_credentials',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  413: 'request entity too large',
  415: 'unsupported media type',
  429: 'too many requests',
};

function fromDirectory(err: DirectoryError): KazooError {
  switch (err.code) {
    case 'not_found':
      return KazooError.badIdentifier(String(err.details['id'] ?? err.message));
    case 'invalid_document':
      return kazooValidationError(err.violations.map((v) => ({ field: v.field, rule: v.rule, message: v.message })));
    case 'conflict':
      return fromConflict(err);
    case 'unauthorized':
      return KazooError.unauthorized();
    case 'forbidden': {
      // A refusal of one field (an admin-only field, the master's `enabled`) names it the way validation does.
      const field = typeof err.details['field'] === 'string' ? err.details['field'] : undefined;
      return KazooError.forbidden(field === undefined ? { message: err.message } : { [field]: { forbidden: { message: err.message } } });
    }
  }
}

/** Kazoo reports unique-value clashes as a 400 'unique' validation rule, stale revisions as 409. */
function fromConflict(err: DirectoryError): KazooError {
  const field = typeof err.details['field'] === 'string' ? err.details['field'] : undefined;
  if (field === undefined || field === 'revision' || field === 'children' || field === 'id') {
    return new KazooError(409, 'conflicting documents', { message: err.message });
  }
  return kazooValidationError([{ field, rule: 'unique', message: err.message, value: err.details['value'] }]);
}

function fromHttp(err: HttpException): KazooError {
  const status = err.getStatus();
  if (status >= 500) return new KazooError(500, 'internal server error');
  if (status === 401) return KazooError.unauthorized();
  // body-parser failures surface as 400 with a SyntaxError cause.
  if (status === 400 && err.cause instanceof SyntaxError) return new KazooError(400, 'invalid json', { message: 'request body is not valid JSON' });
  const cause = err.cause as { type?: unknown; message?: unknown } | undefined;
  if (status === 400 && (cause?.type === 'entity.too.deep' || cause?.type === 'entity.invalid.utf8')) return new KazooError(400, 'invalid json', { message: String(cause.message) });
  return new KazooError(status, HTTP_MESSAGES[status] ?? 'invalid request', {});
}

/** Body-parser errors reach filters as plain errors carrying a status (entity.parse.failed, entity.too.large). */
function fromBodyParser(err: unknown): KazooError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (type === 'entity.parse.failed') return new KazooError(400, 'invalid json', { message: 'request body is not valid JSON' });
  if (type === 'entity.too.deep' || type === 'entity.invalid.utf8') return new KazooError(400, 'invalid json', { message: (err as Error).message });
  if (type === 'entity.too.large') return new KazooError(413, 'request entity too large');
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return new KazooError(status, HTTP_MESSAGES[status] ?? 'invalid request');
  return null;
}

/** The shared origination client's refusals, in Kazoo's shape; the idempotency ones name `idempotency_key`. */
function fromOrigination(err: OriginationClientError): KazooError {
  switch (err.code) {
    case 'idempotency_conflict':
      return new KazooError(422, 'idempotency conflict', { idempotency_key: { conflict: { message: 'this Idempotency-Key was used with a different request', value: err.details['key'] } } });
    case 'idempotency_in_progress':
      return new KazooError(409, 'conflict', { idempotency_key: { in_progress: { message: 'a request with this Idempotency-Key is still running' } } });
    case 'invalid_spec':
      return kazooValidationError([{ field: String(err.details['field'] ?? 'request'), rule: 'format', message: err.message }]);
    case 'command_timeout':
      return new KazooError(500, 'timeout', { message: err.message });
  }
}

/** The single table from every error the gateway can meet to Kazoo's status and message. */
export function toKazooError(err: unknown): KazooError {
  if (err instanceof KazooError) return err;
  if (isDirectoryError(err)) return fromDirectory(err);
  if (isOriginationClientError(err)) return fromOrigination(err);
  if (err instanceof ContractError) return kazooValidationError(err.issues.map((i) => ({ field: i.field, rule: i.rule, message: `failed ${i.rule}` })));
  // Store-side bounds (ids, keys) that slipped past the route's own checks are still the caller's fault.
  if (err instanceof CallStateError && err.code === 'invalid_input') return new KazooError(400, 'invalid data', { message: err.message });
  if (isBusError(err, 'bus_timeout')) return new KazooError(500, 'timeout', { message: 'the request timed out' });
  if (err instanceof HttpException) return fromHttp(err);
  // Redis or RabbitMQ away: the client may retry the same request shortly
  if (isBackendUnavailable(err)) return new KazooError(503, 'service unavailable', { message: BACKEND_UNAVAILABLE_MESSAGE }, 1);
  return fromBodyParser(err) ?? new KazooError(500, 'internal server error');
}
