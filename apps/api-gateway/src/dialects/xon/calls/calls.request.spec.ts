import { parseCallBody, parseCancelBody, parseMobileNumber } from './calls.request';
import { XonError } from '../core/xon.error';

/** The field and the message of the 400 a parser throws, or 'ok'. */
function refusal(parse: () => unknown): { field?: string; error: string } | 'ok' {
  try {
    parse();
    return 'ok';
  } catch (err) {
    if (!(err instanceof XonError) || err.status !== 400) throw err;
    return { ...(err.field !== undefined ? { field: err.field } : {}), error: err.message };
  }
}

describe('X-on request parsing', () => {
  it('reads mobileNumber as one E.164 number, taking a leading space for the + an unencoded query lost', () => {
    expect(parseMobileNumber({ mobileNumber: '+447700900123' })).toBe('+447700900123');
    expect(parseMobileNumber({ mobileNumber: ' 447700900123' })).toBe('+447700900123');
    for (const bad of [undefined, '447700900123', '07700900123', '+44 7700 900123', '+1', 'tel:+447700900123', ['+447700900123']]) {
      expect(refusal(() => parseMobileNumber({ mobileNumber: bad }))).toMatchObject({ field: 'mobileNumber' });
    }
  });

  it('reads call and update bodies; callerName may be empty (an INVITE without a display name)', () => {
    const body = { deviceId: 'cbc16ed8-0422-456f-9e15-f269b8a25811', callId: '843817637684230@998sdasdh09', callerName: '', extra: 1 };
    expect(parseCallBody(body)).toEqual({ deviceId: body.deviceId, callId: body.callId, callerName: '' });
  });

  it.each([
    [null, 'body', 'must be a JSON object'],
    [{ callId: 'c', callerName: 'x' }, 'deviceId', 'deviceId is required'],
    [{ deviceId: 'a'.repeat(4097), callId: 'c', callerName: 'x' }, 'deviceId', 'device id'],
    [{ deviceId: 'd\u00e9v', callId: 'c', callerName: 'x' }, 'deviceId', 'device id'],
    [{ deviceId: 'd', callId: '', callerName: 'x' }, 'callId', 'must not be empty'],
    [{ deviceId: 'd', callId: 'a@b@c', callerName: 'x' }, 'callId', 'Call-ID'],
    [{ deviceId: 'd', callId: 'x'.repeat(257), callerName: 'x' }, 'callId', ''],
    [{ deviceId: 'd', callId: 'c', callerName: 'x'.repeat(129) }, 'callerName', ''],
    [{ deviceId: 'd', callId: 'c', callerName: 'a\u0000b' }, 'callerName', ''],
    [{ deviceId: 'd', callId: 'c', callerName: null }, 'callerName', 'is required'],
  ])('refuses %j naming %s', (body, field, why) => {
    const got = refusal(() => parseCallBody(body));
    expect(got).toMatchObject({ field });
    expect(got === 'ok' ? '' : got.error).toContain(why);
  });

  it('reads a cancel body with one of the two reasons, and nothing else', () => {
    expect(parseCancelBody({ deviceId: 'd', callId: 'c', reason: 'answered_elsewhere' })).toEqual({ deviceId: 'd', callId: 'c', reason: 'answered_elsewhere' });
    expect(parseCancelBody({ deviceId: 'd', callId: 'c', reason: 'cancelled' }).reason).toBe('cancelled');
    for (const reason of [undefined, 'CANCELLED', 'hangup', 3]) expect(refusal(() => parseCancelBody({ deviceId: 'd', callId: 'c', reason }))).toMatchObject({ field: 'reason' });
  });
});
