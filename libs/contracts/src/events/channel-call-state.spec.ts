import { CHANNEL_CALL_STATES, channelCreatedMs, channelCreatedTime } from './channel-call-state';

describe('channel call state and creation time', () => {
  it("lists FreeSWITCH's call states", () => {
    expect(CHANNEL_CALL_STATES).toEqual(expect.arrayContaining(['DOWN', 'RINGING', 'EARLY', 'ACTIVE', 'HELD', 'UNHELD', 'HANGUP']));
  });

  it('writes Channel-Created-Time in integer microseconds and reads it back in milliseconds, also from an older millisecond value', () => {
    const ms = Date.UTC(2026, 0, 1, 12, 0, 0, 345);
    expect(channelCreatedTime(ms)).toBe(ms * 1000);
    expect(Number.isInteger(channelCreatedTime(ms + 0.4))).toBe(true);
    expect(channelCreatedMs(channelCreatedTime(ms))).toBe(ms);
    expect(channelCreatedMs(ms)).toBe(ms);
  });
});
