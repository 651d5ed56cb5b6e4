import { sipHangupCode, sipStatusToQ850 } from './sip-to-q850.table';

describe('sipStatusToQ850', () => {
  it.each([
    [404, 'UNALLOCATED_NUMBER'],
    [408, 'RECOVERY_ON_TIMER_EXPIRE'],
    [480, 'NO_USER_RESPONSE'],
    [484, 'INVALID_NUMBER_FORMAT'],
    [486, 'USER_BUSY'],
    [600, 'USER_BUSY'],
    [487, 'ORIGINATOR_CANCEL'],
    [502, 'NETWORK_OUT_OF_ORDER'],
    [503, 'NORMAL_TEMPORARY_FAILURE'],
    [603, 'CALL_REJECTED'],
    [403, 'CALL_REJECTED'],
  ])('maps %i to %s', (status, cause) => {
    expect(sipStatusToQ850(status)).toBe(cause);
  });

  it('falls back by status class for codes it does not list', () => {
    expect(sipStatusToQ850(499)).toBe('CALL_REJECTED');
    expect(sipStatusToQ850(599)).toBe('NORMAL_TEMPORARY_FAILURE');
    expect(sipStatusToQ850(699)).toBe('CALL_REJECTED');
    expect(sipStatusToQ850(302)).toBe('NORMAL_UNSPECIFIED');
  });

  it('formats the hangup code only for SIP statuses', () => {
    expect(sipHangupCode(486)).toBe('sip:486');
    expect(sipHangupCode(undefined)).toBeUndefined();
    expect(sipHangupCode(42)).toBeUndefined();
  });
});
