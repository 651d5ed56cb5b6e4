import { DEFAULT_SIP_TIMERS, deriveTimers, resolveTimers } from './timers';

describe('timers', () => {
  it('derives RFC 3261 Table 4 values for UDP', () => {
    const t = deriveTimers(DEFAULT_SIP_TIMERS, false);
    expect(t).toMatchObject({ retransmit: true, A: 500, B: 32000, D: 32000, E: 500, F: 32000, G: 500, H: 32000, I: 5000, J: 32000, K: 5000, L: 32000, M: 32000 });
  });

  it('uses zero for D, I, J, K and no retransmissions on reliable transports', () => {
    const t = deriveTimers(DEFAULT_SIP_TIMERS, true);
    expect(t).toMatchObject({ retransmit: false, D: 0, I: 0, J: 0, K: 0, B: 32000, F: 32000, H: 32000 });
  });

  it('shrinks D with T1 unless D is given', () => {
    expect(resolveTimers({ T1: 10 }).D).toBe(640);
    expect(resolveTimers({ T1: 10, D: 5 }).D).toBe(5);
    expect(resolveTimers().D).toBe(32000);
  });
});
