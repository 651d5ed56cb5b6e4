import { NetaxisError } from '../core/netaxis-error';
import { callIdOf, parseCallAction, parseCallRequest, parseImrnRequest, parseIncludeDetails } from './call.request';

function refusal(run: () => unknown): { status: number; code: string; field?: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof NetaxisError) return { status: err.status, code: err.code, ...(err.extras.field !== undefined ? { field: err.extras.field } : {}) };
    throw err;
  }
  throw new Error('expected a NetaxisError');
}

describe('Netaxis call service requests', () => {
  it('reads the phoneNumber of a call, E.164 or extension', () => {
    expect(parseCallRequest({ phoneNumber: '+3212345678' })).toEqual({ phoneNumber: '+3212345678' });
    expect(parseCallRequest({ phoneNumber: ' 210 ' })).toEqual({ phoneNumber: '210' });
  });

  it.each([
    [{}, 'phoneNumber'],
    [{ phoneNumber: 3212345678 }, 'phoneNumber'],
    [{ phoneNumber: 'sip:evil@host' }, 'phoneNumber'],
    [{ phoneNumber: '+32\r\nVia: x' }, 'phoneNumber'],
    [{ phoneNumber: '1'.repeat(41) }, 'phoneNumber'],
  ])('%j is 400 INVALID_PHONE_NUMBER on %s', (body, field) => {
    expect(refusal(() => parseCallRequest(body))).toEqual({ status: 400, code: 'INVALID_PHONE_NUMBER', field });
  });

  it('refuses a body that is not an object', () => {
    expect(refusal(() => parseCallRequest(['+32']))).toEqual({ status: 400, code: 'INVALID_REQUEST', field: 'body' });
  });

  it('reads includeDetails from the body or the query, the body first', () => {
    expect(parseIncludeDetails({}, { includeDetails: true })).toBe(true);
    expect(parseIncludeDetails({ includeDetails: 'true' }, undefined)).toBe(true);
    expect(parseIncludeDetails({ includeDetails: 'true' }, { includeDetails: false })).toBe(false);
    expect(parseIncludeDetails({}, {})).toBe(false);
    expect(refusal(() => parseIncludeDetails({ includeDetails: 'yes' }, {}))).toEqual({ status: 400, code: 'INVALID_REQUEST', field: 'includeDetails' });
  });

  it('reads every action of the seed with its argument', () => {
    expect(parseCallAction({ action: 'hold' })).toEqual({ action: 'hold' });
    expect(parseCallAction({ action: 'blindTransfer', phoneNumber: '+3212345765' })).toEqual({ action: 'blindTransfer', phoneNumber: '+3212345765' });
    expect(parseCallAction({ action: 'consultativeTransfer', transferCallId: 'callhalf-1595875:0' })).toEqual({ action: 'consultativeTransfer', transferCallId: 'callhalf-1595875:0' });
    expect(parseCallAction({ action: 'stopRecording' })).toEqual({ action: 'stopRecording' });
  });

  it.each([
    [{}, 'action', 'INVALID_REQUEST'],
    [{ action: 'dance' }, 'action', 'INVALID_REQUEST'],
    [{ action: 'blindTransfer' }, 'phoneNumber', 'INVALID_PHONE_NUMBER'],
    [{ action: 'consultativeTransfer', transferCallId: '../x' }, 'transferCallId', 'INVALID_REQUEST'],
  ])('%j is 400 naming %s', (body, field, code) => {
    expect(refusal(() => parseCallAction(body))).toEqual({ status: 400, code, field });
  });

  it('reads both numbers of an IMRN request', () => {
    expect(parseImrnRequest({ phoneNumber: '+3225126778', callingPhoneNumber: '+3225126780' })).toEqual({ phoneNumber: '+3225126778', callingPhoneNumber: '+3225126780' });
    expect(refusal(() => parseImrnRequest({ phoneNumber: '+3225126778' }))).toEqual({ status: 400, code: 'INVALID_PHONE_NUMBER', field: 'callingPhoneNumber' });
  });

  it('takes call ids as the seed and the platform write them, nothing else', () => {
    expect(callIdOf('callhalf-1595867:0')).toBe('callhalf-1595867:0');
    expect(callIdOf('0f1e2d3c4b5a69788796a5b4c3d2e1f0-netaxis')).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0-netaxis');
    expect(callIdOf('a b')).toBeUndefined();
    expect(callIdOf('x'.repeat(129))).toBeUndefined();
    expect(callIdOf(5)).toBeUndefined();
  });
});
