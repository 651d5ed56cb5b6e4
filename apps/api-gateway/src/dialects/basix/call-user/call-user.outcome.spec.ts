import { causeError, causeId, timeoutError } from './call-user.outcome';

describe('call_user outcomes', () => {
  it('maps the causes Basix clients act on to their ids and statuses', () => {
    expect([causeError('channel_limit_reached').status, causeError('channel_limit_reached').id]).toEqual([429, 'channel_limit_reached']);
    expect([causeError('MEDIA_SERVER_UNAVAILABLE').status, causeError('MEDIA_SERVER_UNAVAILABLE').id]).toEqual([503, 'media_server_unavailable']);
    expect(causeError('DESTINATION_OUT_OF_ORDER').id).toBe('user_unavailable');
    expect(causeError('OUTGOING_CALL_BARRED').status).toBe(403);
    expect([timeoutError().status, timeoutError().id]).toEqual([504, 'timeout']);
  });

  it('lower-cases any other cause into an id, never an empty one', () => {
    expect(causeId('NORMAL_TEMPORARY_FAILURE')).toBe('normal_temporary_failure');
    expect(causeId('NO_ANSWER')).toBe('no_answer');
    expect(causeId('weird cause!')).toBe('weird_cause_');
    expect(causeId('')).toBe('origination_failed');
    expect(causeError('INCOMPATIBLE_DESTINATION').status).toBe(502);
  });
});
