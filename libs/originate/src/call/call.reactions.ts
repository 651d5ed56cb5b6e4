import type { LegSignal } from '../legs/leg.types';

/** One thing a call does when a leg tells it something. */
export type CallAction =
  /** Take the leg's session changes (re-INVITE, UPDATE) into the call's negotiation. */
  | { kind: 'negotiate' }
  /** End the leg it is paired with (CANCEL while it rings, BYE once answered). */
  | { kind: 'end_peer'; cause: string }
  /** End the whole call when no answered leg is left in it (a B-leg still ringing is CANCELled). */
  | { kind: 'end_call_if_none_answered'; cause: string }
  /** End every other leg of the call. */
  | { kind: 'end_call'; cause: string }
  /** The leg leaves the pairing. */
  | { kind: 'unpair' }
  /** The call is over once every leg ended and no application work is left. */
  | { kind: 'settle' };

/**
 * The call's reactions to its legs, in order. The leg state machine is the call-state transition table;
 * this is the other half: what the call does about each leg event, as data rather than callbacks.
 */
export const CALL_REACTIONS: Readonly<Record<LegSignal, readonly CallAction[]>> = {
  answered: [{ kind: 'negotiate' }],
  // the far end hung up (BYE, or our 2xx never ACKed): its peer goes too, and so does a call with nobody answered left
  remote_hangup: [
    { kind: 'end_peer', cause: 'NORMAL_CLEARING' },
    { kind: 'end_call_if_none_answered', cause: 'NORMAL_CLEARING' },
  ],
  // RFC 4028: the expired leg ends with RECOVERY_ON_TIMER_EXPIRE, everything else in the call with NORMAL_CLEARING
  session_expired: [{ kind: 'end_call', cause: 'NORMAL_CLEARING' }],
  ended: [{ kind: 'unpair' }, { kind: 'settle' }],
};
