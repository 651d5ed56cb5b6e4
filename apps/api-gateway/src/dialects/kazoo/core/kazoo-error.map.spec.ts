import { BadRequestException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { BusError } from '@legwork/bus';
import { ContractError } from '@legwork/contracts';
import { DirectoryError } from '@legwork/directory';
import { OriginationClientError } from '@legwork/originate-client';
import { KazooError, kazooValidationError } from './kazoo.contract';
import { toKazooError } from './kazoo-error.map';

const shape = (err: unknown): { status: number; message: string; data: unknown } => {
  const k = toKazooError(err);
  return { status: k.status, message: k.kazooMessage, data: k.data };
};

describe('toKazooError', () => {
  it('passes Kazoo errors through and names their code after the message', () => {
    const err = KazooError.forbidden();
    expect(toKazooError(err)).toBe(err);
    expect(err.code).toBe('forbidden');
    expect(new KazooError(404, 'bad identifier').code).toBe('bad_identifier');
  });

  it('nests validation issues as field → rule → {message, value}', () => {
    const err = kazooValidationError([
      { field: 'name', rule: 'required', message: 'Field is required' },
      { field: 'name', rule: 'minLength', message: 'too short', value: '' },
      { field: 'sip.username', rule: 'unique', message: 'taken', value: 'bob' },
    ]);
    expect(err.status).toBe(400);
    expect(err.data).toEqual({
      name: { required: { message: 'Field is required' }, minLength: { message: 'too short', value: '' } },
      'sip.username': { unique: { message: 'taken', value: 'bob' } },
    });
  });

  it('maps every origination client code: a reused Idempotency-Key is 422, a running one 409', () => {
    const details = { dialect: 'kazoo', accountId: 'a', key: 'k-1' };
    expect(shape(new OriginationClientError('idempotency_conflict', 'x', details))).toEqual({
      status: 422, message: 'idempotency conflict', data: { idempotency_key: { conflict: { message: 'this Idempotency-Key was used with a different request', value: 'k-1' } } },
    });
    expect(toKazooError(new OriginationClientError('idempotency_conflict', 'x', details)).code).toBe('idempotency_conflict');
    expect(shape(new OriginationClientError('idempotency_in_progress', 'x', details))).toMatchObject({ status: 409, message: 'conflict', data: { idempotency_key: { in_progress: {} } } });
    expect(shape(new OriginationClientError('invalid_spec', 'destination cannot be dialled', { field: 'destination' }))).toEqual({
      status: 400, message: 'invalid data', data: { destination: { format: { message: 'destination cannot be dialled' } } },
    });
    expect(shape(new OriginationClientError('command_timeout', 'node x did not answer'))).toEqual({ status: 500, message: 'timeout', data: { message: 'node x did not answer' } });
  });

  it('answers 503 with Retry-After when Redis or the broker is unreachable, 500 for anything else', () => {
    const gone = Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' });
    expect(shape(gone)).toEqual({ status: 503, message: 'service unavailable', data: { message: 'a store or the message bus is unreachable; retry shortly' } });
    expect(toKazooError(gone).retryAfterSeconds).toBe(1);
    expect(shape(new BusError('bus_unavailable', 'not connected'))).toMatchObject({ status: 503, message: 'service unavailable' });
    expect(shape(new Error('boom'))).toMatchObject({ status: 500, message: 'internal server error' });
  });

  it('maps every directory error code', () => {
    expect(shape(DirectoryError.notFound('account', 'abc'))).toEqual({ status: 404, message: 'bad_identifier', data: { cause: 'abc', message: 'bad identifier' } });
    expect(shape(DirectoryError.invalidField('realm', 'pattern', 'bad realm'))).toEqual({ status: 400, message: 'invalid data', data: { realm: { pattern: { message: 'bad realm' } } } });
    expect(shape(DirectoryError.conflict('realm', 'realm taken', { value: 'x.local' }))).toEqual({
      status: 400,
      message: 'invalid data',
      data: { realm: { unique: { message: 'realm taken', value: 'x.local' } } },
    });
    expect(shape(DirectoryError.conflict('revision', 'stale'))).toMatchObject({ status: 409, message: 'conflicting documents' });
    expect(shape(DirectoryError.conflict('children', 'has sub-accounts'))).toMatchObject({ status: 409, message: 'conflicting documents' });
    expect(shape(new DirectoryError('unauthorized', 'token expired'))).toEqual({ status: 401, message: 'invalid_credentials', data: { message: 'invalid credentials' } });
    expect(shape(new DirectoryError('forbidden', 'nope'))).toMatchObject({ status: 403, message: 'forbidden' });
  });

  it('maps contract errors to 400, bus timeouts to 500 timeout and hides anything else', () => {
    expect(shape(new ContractError('originate_req', [{ field: 'Endpoints', rule: 'required' }]))).toEqual({
      status: 400,
      message: 'invalid data',
      data: { Endpoints: { required: { message: 'failed required' } } },
    });
    expect(shape(new BusError('bus_timeout', 'no reply'))).toMatchObject({ status: 500, message: 'timeout' });
    const hidden = shape(new Error('password=hunter2 at db.internal:5432'));
    expect(hidden).toEqual({ status: 500, message: 'internal server error', data: {} });
    expect(JSON.stringify(shape(new BusError('bus_unavailable', 'amqp://secret@host down')))).not.toContain('secret');
  });

  it('maps Nest HTTP exceptions and body-parser failures', () => {
    expect(shape(new NotFoundException())).toMatchObject({ status: 404, message: 'not found' });
    expect(shape(new UnauthorizedException())).toEqual({ status: 401, message: 'invalid_credentials', data: { message: 'invalid credentials' } });
    expect(shape(new BadRequestException())).toMatchObject({ status: 400, message: 'invalid request' });
    expect(shape(Object.assign(new SyntaxError('bad'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({ status: 400, message: 'invalid json' });
    expect(shape(Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 }))).toMatchObject({ status: 413 });
  });
});
