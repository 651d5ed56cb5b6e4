import type { PushCancelReason } from './push.types';

/** Q.850 cause values (ITU-T Q.850 Table 1) of the causes a ringing leg is cancelled with. */
const Q850_VALUES: Readonly<Record<string, number>> = {
  NORMAL_CLEARING: 16, USER_BUSY: 17, NO_USER_RESPONSE: 18, NO_ANSWER: 19, CALL_REJECTED: 21,
  NORMAL_TEMPORARY_FAILURE: 41, ALLOTTED_TIMEOUT: 102, RECOVERY_ON_TIMER_EXPIRE: 102, SYSTEM_SHUTDOWN: 41,
};

/** What the device is told in a cancel push: another leg won the race, or the call stopped. */
export function cancelPushReason(cause: string): PushCancelReason {
  return cause === 'LOSE_RACE' ? 'answered_elsewhere' : 'cancelled';
}

/**
 * RFC 3326 Reason of a CANCEL to a woken device: `SIP;cause=200` when answered elsewhere (RFC 3326 §2), else the
 * Q.850 cause (ORIGINATOR_CANCEL, FreeSWITCH's name for the caller giving up, is normal clearing, 16).
 */
export function cancelReasonHeader(cause: string): string {
  if (cause === 'LOSE_RACE') return 'SIP;cause=200;text="Call completed elsewhere"';
  return `Q.850;cause=${Q850_VALUES[cause] ?? 16};text="${cause.replace(/[^A-Z0-9_]/g, '')}"`;
}
