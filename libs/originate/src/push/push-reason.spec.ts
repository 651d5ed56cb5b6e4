import { cancelPushReason, cancelReasonHeader } from './push-reason';

describe('why a push leg stopped ringing', () => {
  it('tells the device answered_elsewhere when another leg won, cancelled otherwise', () => {
    expect(['LOSE_RACE', 'ORIGINATOR_CANCEL', 'NO_ANSWER', 'NO_USER_RESPONSE'].map(cancelPushReason)).toEqual(['answered_elsewhere', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('gives the CANCEL an RFC 3326 Reason: SIP 200 when answered elsewhere, else the Q.850 cause', () => {
    expect(cancelReasonHeader('LOSE_RACE')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    expect(cancelReasonHeader('NO_ANSWER')).toBe('Q.850;cause=19;text="NO_ANSWER"');
    expect(cancelReasonHeader('ORIGINATOR_CANCEL')).toBe('Q.850;cause=16;text="ORIGINATOR_CANCEL"');
    expect(cancelReasonHeader('ODD"CAUSE')).toBe('Q.850;cause=16;text="ODDCAUSE"');
  });
});
