import { readOriginationConfig } from './origination-client.provider';

describe('readOriginationConfig', () => {
  it('defaults, the earlier Kazoo name as a fallback, and the shared name winning over it', () => {
    expect(readOriginationConfig({})).toEqual({ replyMarginMs: 5000, commandTimeoutMs: 5000 });
    expect(readOriginationConfig({ KAZOO_QUICKCALL_REPLY_MARGIN_MS: '200' }).replyMarginMs).toBe(200);
    expect(readOriginationConfig({ KAZOO_QUICKCALL_REPLY_MARGIN_MS: '200', ORIGINATE_REPLY_MARGIN_MS: '300', CALL_COMMAND_TIMEOUT_MS: '900' })).toEqual({ replyMarginMs: 300, commandTimeoutMs: 900 });
  });

  it('refuses a bad value naming the variable', () => {
    expect(() => readOriginationConfig({ ORIGINATE_REPLY_MARGIN_MS: 'soon' })).toThrow(/ORIGINATE_REPLY_MARGIN_MS/);
    expect(() => readOriginationConfig({ CALL_COMMAND_TIMEOUT_MS: '0' })).toThrow(/CALL_COMMAND_TIMEOUT_MS/);
  });
});
