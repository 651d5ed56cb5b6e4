import { toVoipnowError } from './voipnow-error.map';

describe('toVoipnowError', () => {
  it('answers 503 service_unavailable with Retry-After while Redis or the broker is unreachable, 500 for a fault', () => {
    const gone = toVoipnowError(Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }));
    expect({ status: gone.status, code: gone.code, headers: gone.headers }).toEqual({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '1' } });
    const fault = toVoipnowError(new Error('secret internals'));
    expect({ status: fault.status, code: fault.code }).toEqual({ status: 500, code: 'internal_error' });
  });
});
