import type { StreamEvent } from '../api/event-stream';
import { MAX_LEGS, callTimeline, legsOf } from './call-history';
import { applyEvent, type CallMap } from './live-calls';

const ACCOUNT = { account_id: 'a1' };
let n = 0;
/** An event of leg `call_id` in the call that `origination_call_id` (default A) names. */
const ev = (call_id: string, event_name: string, event_sequence: number, extra: Record<string, unknown> = {}): StreamEvent =>
  ({ event_name, call_id, event_sequence, origination_call_id: 'A', msg_id: `m${++n}`, timestamp_ms: 1000 - event_sequence, custom_channel_vars: ACCOUNT, ...extra }) as unknown as StreamEvent;
const play = (events: StreamEvent[], start: CallMap = new Map()): CallMap => events.reduce((calls, e) => applyEvent(calls, e, 0), start);

/** A click-to-call A→B, then B transferred to C: A leaves, B is bridged to C. */
const transferred = (): StreamEvent[] => [
  ev('A', 'CHANNEL_CREATE', 1),
  ev('A', 'CHANNEL_ANSWER', 2),
  ev('B', 'CHANNEL_CREATE', 3, { other_leg_call_id: 'A' }),
  ev('B', 'CHANNEL_ANSWER', 4),
  ev('A', 'CHANNEL_BRIDGE', 5, { other_leg_call_id: 'B' }),
  ev('B', 'CHANNEL_BRIDGE', 6, { other_leg_call_id: 'A' }),
  ev('A', 'CHANNEL_DESTROY', 7, { hangup_cause: 'NORMAL_CLEARING', duration_seconds: 3 }),
  ev('C', 'CHANNEL_CREATE', 8, { other_leg_call_id: 'B' }),
  ev('B', 'CHANNEL_BRIDGE', 9, { other_leg_call_id: 'C' }),
];

describe("a call's history across its legs", () => {
  it('follows the bridges from the page\'s leg to every leg, a transfer\'s new one too', () => {
    const calls = play(transferred());
    expect([legsOf(calls, 'A'), legsOf(calls, 'C')]).toEqual([['A', 'B', 'C'], ['C', 'A', 'B']]);
    expect(legsOf(new Map(), 'X')).toEqual(['X']);
  });

  it('one timeline of every leg, in Event-Sequence order, each event once across the history and the live stream', () => {
    const events = transferred();
    const history = play(events.slice().reverse());
    const live = play(events.slice(4));
    const timeline = callTimeline('A', legsOf(history, 'A'), history, live);
    expect(timeline.map((t) => [t.sequence, t.leg, t.name])).toEqual([
      [1, 'A', 'CHANNEL_CREATE'], [2, 'A', 'CHANNEL_ANSWER'], [3, 'B', 'CHANNEL_CREATE'], [4, 'B', 'CHANNEL_ANSWER'], [5, 'A', 'CHANNEL_BRIDGE'],
      [6, 'B', 'CHANNEL_BRIDGE'], [7, 'A', 'CHANNEL_DESTROY'], [8, 'C', 'CHANNEL_CREATE'], [9, 'B', 'CHANNEL_BRIDGE'],
    ]);
  });

  it('a leg of another call bridged in keeps its own numbers and stays out of this one', () => {
    const calls = play([ev('A', 'CHANNEL_CREATE', 1), ev('A', 'CHANNEL_BRIDGE', 2, { other_leg_call_id: 'X' }), ev('X', 'CHANNEL_CREATE', 1, { origination_call_id: 'X' })]);
    expect(callTimeline('A', legsOf(calls, 'A'), calls).map((t) => t.leg)).toEqual(['A', 'A']);
  });

  it(`follows at most ${MAX_LEGS} legs (a connection takes 100 bindings)`, () => {
    const chain = Array.from({ length: 12 }, (_, i) => ev(`L${i}`, 'CHANNEL_BRIDGE', i + 1, { other_leg_call_id: `L${i + 1}` }));
    expect(legsOf(play(chain), 'L0')).toHaveLength(MAX_LEGS);
  });
});
