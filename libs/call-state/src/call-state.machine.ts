import { CallStateError } from './call-state.errors';

export const LEG_STATES = ['new', 'early', 'ringing', 'answered', 'bridged', 'held', 'ended'] as const;
export type LegState = (typeof LEG_STATES)[number];

export const LEG_EVENTS = ['ring', 'progress', 'answer', 'bridge', 'unbridge', 'hold', 'unhold', 'hangup'] as const;
export type LegEvent = (typeof LEG_EVENTS)[number];

type Table = Record<LegState, Partial<Record<LegEvent, LegState>>>;

/**
 * Allowed moves of one leg. `early` is 183 with early media; repeated 180/183 keep the
 * leg where it is; hold is only meaningful while bridged, so unhold returns to bridged.
 * `hangup` is accepted from every state but `ended`, which is terminal.
 */
export const LEG_TRANSITIONS: Readonly<Table> = {
  new: { ring: 'ringing', progress: 'early', answer: 'answered', hangup: 'ended' },
  early: { ring: 'early', progress: 'early', answer: 'answered', hangup: 'ended' },
  ringing: { ring: 'ringing', progress: 'early', answer: 'answered', hangup: 'ended' },
  answered: { bridge: 'bridged', hangup: 'ended' },
  bridged: { unbridge: 'answered', hold: 'held', hangup: 'ended' },
  held: { unhold: 'bridged', unbridge: 'answered', hangup: 'ended' },
  ended: {},
};

/** Timestamp field stamped the first time a leg reaches a state. */
export const STATE_TIMESTAMP: Partial<Record<LegState, 'ringingAt' | 'answeredAt' | 'bridgedAt' | 'endedAt'>> = {
  ringing: 'ringingAt',
  early: 'ringingAt',
  answered: 'answeredAt',
  bridged: 'bridgedAt',
  ended: 'endedAt',
};

export function isLegState(value: string): value is LegState {
  return (LEG_STATES as readonly string[]).includes(value);
}

export function canTransition(state: LegState, event: LegEvent): boolean {
  return LEG_TRANSITIONS[state][event] !== undefined;
}

/** The state after `event`; throws `invalid_transition` when the table forbids the move. */
export function transition(state: LegState, event: LegEvent): LegState {
  const next = LEG_TRANSITIONS[state]?.[event];
  if (next === undefined) {
    throw new CallStateError('invalid_transition', `cannot ${event} a leg that is ${state}`, { state, event });
  }
  return next;
}
