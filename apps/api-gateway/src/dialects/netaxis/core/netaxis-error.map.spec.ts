import { BadRequestException } from '@nestjs/common';
import { DirectoryError } from '@legwork/directory';
import { OriginationClientError } from '@legwork/originate-client';
import { netaxisErrorBody, NetaxisError } from './netaxis-error';
import { toNetaxisError } from './netaxis-error.map';

const shape = (err: unknown): Record<string, unknown> => netaxisErrorBody(toNetaxisError(err)).error;

describe('every failure in the Netaxis error shape', () => {
  it('keeps its own errors as they are', () => {
    expect(shape(NetaxisError.callOperation('transferFailed', 'why'))).toEqual({ status: 400, code: 'INVALID_CALL_OPERATION', message: 'Transfer has failed.', subErrorCode: 59, detail: 'why' });
  });

  it('maps the directory and the origination builder, naming the field', () => {
    expect(shape(new DirectoryError('forbidden', 'no'))).toMatchObject({ status: 403, code: 'FORBIDDEN', message: 'invalid calling user' });
    expect(shape(new DirectoryError('unauthorized', 'no'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(shape(new OriginationClientError('invalid_spec', 'destination is not SIP-safe', { field: 'destination' }))).toMatchObject({ status: 400, code: 'INVALID_REQUEST', field: 'destination' });
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while Redis or the broker is unreachable', () => {
    const gone = toNetaxisError(Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }));
    expect(netaxisErrorBody(gone).error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(gone.extras.headers).toEqual({ 'Retry-After': '1' });
  });

  it('answers unreadable bodies 400 or 413 and anything else 500 without its message', () => {
    expect(shape(new BadRequestException('bad', { cause: Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 }) }))).toMatchObject({ status: 400, field: 'body' });
    expect(shape(Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 }))).toMatchObject({ status: 413, code: 'REQUEST_TOO_LARGE' });
    expect(shape(new Error('secret internals'))).toEqual({ status: 500, code: 'INTERNAL_ERROR', message: 'internal server error' });
  });
});
