import type { StreamEvent } from '../api/event-stream';
import { applyEvent, durationOf, formatDuration, withChannels, type CallMap } from './live-calls';

const ACCOUNT = { account_id: 'a1' };
/** A blackhole event's data as the stream sends it (normalized keys), for leg `c1` unless told. */
const ev = (event_name: string, extra: Record<string, unknown> = {}): StreamEvent =>
  ({ event_name, call_id: 'c1', msg_id: `${event_name}-${String(extra['timestamp_ms'] ?? 0)}`, custom_channel_vars: ACCOUNT, ...extra }) as unknown as StreamEvent;

const play = (events: StreamEvent[], start: CallMap = new Map()): CallMap => events.reduce((calls, e) => applyEvent(calls, e, 0), start);

describe('live calls from the event stream', () => {
  it('follows a leg through create, progress, answer, bridge, unbridge and destroy, keeping its timeline in order', () => {
    const calls = play([
      ev('CHANNEL_CREATE', { timestamp_ms: 1000, call_direction: 'outbound', caller_id_number: '+14155550100', callee_id_number: '+14155550199' }),
      ev('CHANNEL_PROGRESS', { timestamp_ms: 1100 }),
      ev('CHANNEL_ANSWER', { timestamp_ms: 3000 }),
      ev('CHANNEL_BRIDGE', { timestamp_ms: 3100, other_leg_call_id: 'c2' }),
      ev('CHANNEL_UNBRIDGE', { timestamp_ms: 9000 }),
      ev('CHANNEL_DESTROY', { timestamp_ms: 9100, hangup_cause: 'NORMAL_CLEARING', hangup_code: 'sip:200', duration_seconds: 8 }),
    ]);
    const call = calls.get('c1');
    expect(call).toMatchObject({ state: 'ended', direction: 'outbound', from: '+14155550100', to: '+14155550199', otherLeg: 'c2', answeredAt: 3000, endedAt: 9100, hangupCause: 'NORMAL_CLEARING' });
    expect(call?.timeline.map((t) => t.name)).toEqual(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_DESTROY']);
    expect(call?.timeline.at(-1)?.detail).toBe('NORMAL_CLEARING (sip:200), 8 s');
    expect(call === undefined ? -1 : durationOf(call, 99_999)).toBe(6);
  });

  it('states move on with each event; a hold of a bridged call comes back bridged', () => {
    const states = (names: string[]): string[] => {
      let calls: CallMap = new Map();
      return names.map((n, i) => {
        calls = applyEvent(calls, ev(n, { timestamp_ms: i }), 0);
        return calls.get('c1')?.state ?? '';
      });
    };
    expect(states(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD'])).toEqual(['new', 'ringing', 'answered', 'bridged', 'held', 'bridged']);
  });

  it('an event delivered twice (a reconnect, two bindings) is applied once; one out of order is placed by its stamp', () => {
    const answer = ev('CHANNEL_ANSWER', { timestamp_ms: 2000 });
    const calls = play([answer, ev('CHANNEL_CREATE', { timestamp_ms: 1000 }), answer]);
    expect(calls.get('c1')?.timeline.map((t) => t.name)).toEqual(['CHANNEL_CREATE', 'CHANNEL_ANSWER']);
  });

  it('originate_failed ends every leg it names, with its error', () => {
    const calls = play([ev('originate_failed', { call_id: undefined, outbound_call_ids: ['x1', 'x2'], error_message: 'DESTINATION_OUT_OF_ORDER', timestamp_ms: 5 })]);
    expect([...calls.values()].map((c) => [c.callId, c.state, c.hangupCause])).toEqual([
      ['x1', 'failed', 'DESTINATION_OUT_OF_ORDER'],
      ['x2', 'failed', 'DESTINATION_OUT_OF_ORDER'],
    ]);
  });

  it('channels listed over REST seed calls the stream has not told of, and never override one it has', () => {
    const streamed = play([ev('CHANNEL_ANSWER', { timestamp_ms: 10 })]);
    const calls = withChannels(streamed, [{ call_id: 'c1', state: 'new' }, { call_id: 'c9', state: 'bridged', direction: 'inbound', caller_id_number: '200' }, { call_id: 'c8', state: '<script>' }], 50);
    expect([calls.get('c1')?.state, calls.get('c9')?.state, calls.get('c9')?.from, calls.get('c8')?.state]).toEqual(['answered', 'bridged', '200', 'new']);
  });

  it('keeps the last 50 ended calls and every live one', () => {
    let calls: CallMap = play([ev('CHANNEL_CREATE', { call_id: 'live', timestamp_ms: 0 })]);
    for (let i = 0; i < 60; i++) calls = play([ev('CHANNEL_DESTROY', { call_id: `e${i}`, timestamp_ms: i + 1, hangup_cause: 'NORMAL_CLEARING', duration_seconds: 0 })], calls);
    expect([calls.size, calls.has('live'), calls.has('e0'), calls.has('e59')]).toEqual([51, true, false, true]);
  });

  it('formats durations as m:ss', () => {
    expect([formatDuration(0), formatDuration(65), formatDuration(3600)]).toEqual(['0:00', '1:05', '60:00']);
  });
});
