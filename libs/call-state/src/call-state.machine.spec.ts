import { CallStateError } from './call-state.errors';
import { LEG_EVENTS, LEG_STATES, LEG_TRANSITIONS, canTransition, transition } from './call-state.machine';

describe('leg state machine', () => {
  it('follows the ordinary path of an originated leg', () => {
    let state = transition('new', 'ring');
    state = transition(state, 'progress');
    state = transition(state, 'answer');
    state = transition(state, 'bridge');
    state = transition(state, 'hold');
    expect(state).toBe('held');
    expect(transition(state, 'unhold')).toBe('bridged');
    expect(transition('bridged', 'unbridge')).toBe('answered');
  });

  it('accepts early media and repeated provisional responses', () => {
    expect(transition('new', 'progress')).toBe('early');
    expect(transition('early', 'ring')).toBe('early');
    expect(transition('ringing', 'ring')).toBe('ringing');
    expect(transition('early', 'answer')).toBe('answered');
  });

  it('ends from every live state and never leaves ended', () => {
    for (const state of LEG_STATES.filter((s) => s !== 'ended')) expect(transition(state, 'hangup')).toBe('ended');
    for (const event of LEG_EVENTS) expect(canTransition('ended', event)).toBe(false);
  });

  it('throws invalid_transition for forbidden moves', () => {
    const forbidden: Array<[(typeof LEG_STATES)[number], (typeof LEG_EVENTS)[number]]> = [
      ['new', 'bridge'],
      ['ringing', 'hold'],
      ['answered', 'answer'],
      ['answered', 'unhold'],
      ['held', 'hold'],
      ['ended', 'hangup'],
    ];
    for (const [state, event] of forbidden) {
      expect(() => transition(state, event)).toThrow(CallStateError);
      expect(() => transition(state, event)).toThrow(expect.objectContaining({ code: 'invalid_transition', details: { state, event } }));
    }
  });

  it('only ever moves to known states', () => {
    for (const state of LEG_STATES) {
      for (const next of Object.values(LEG_TRANSITIONS[state])) expect(LEG_STATES).toContain(next);
    }
  });
});
