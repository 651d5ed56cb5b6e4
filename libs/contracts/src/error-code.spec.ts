import { originateErrorCode } from './error-code';

describe('originateErrorCode', () => {
  it('keeps Legwork codes, lower-cases switch causes, and never passes prose on', () => {
    expect(originateErrorCode('channel_limit_reached')).toBe('channel_limit_reached');
    expect(originateErrorCode('originate_invalid')).toBe('originate_invalid');
    expect(originateErrorCode('NO_ANSWER')).toBe('no_answer');
    expect(originateErrorCode('MEDIA_SERVER_UNAVAILABLE')).toBe('media_server_unavailable');
    expect(originateErrorCode('invalid originate_req: Endpoints: is required')).toBe('originate_failed');
    expect(originateErrorCode('486 Busy Here')).toBe('originate_failed');
    expect(originateErrorCode('')).toBe('originate_failed');
  });
});
