import { GREGORIAN_UNIX_OFFSET_S, eventTimestamps, gregorianSeconds, unixMsFromGregorian } from './gregorian-time';

describe('gregorian time', () => {
  it("matches Erlang's calendar at the unix epoch and a known date", () => {
    // calendar:date_to_gregorian_days(1970, 1, 1) = 719528
    expect(gregorianSeconds(0)).toBe(719_528 * 86_400);
    expect(GREGORIAN_UNIX_OFFSET_S).toBe(719_528 * 86_400);
    expect(gregorianSeconds(Date.UTC(2024, 4, 1, 12, 0, 0))).toBe(63_881_784_000);
  });

  it('converts back to unix milliseconds at second precision', () => {
    const ms = Date.UTC(2024, 4, 1, 12, 0, 0, 750);
    expect(unixMsFromGregorian(gregorianSeconds(ms))).toBe(ms - 750);
    expect(eventTimestamps(ms)).toEqual({ Timestamp: 63_881_784_000, 'Timestamp-Ms': ms });
  });
});
