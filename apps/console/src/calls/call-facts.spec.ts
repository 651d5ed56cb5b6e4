import type { StreamEvent } from '../api/event-stream';
import { callBindings } from '../api/event-stream';
import { dialectOf, mergeTimelines, recordingAfter, type TimelineEntry } from './call-facts';
import { applyEvent, withChannels, type CallMap } from './live-calls';

const ACCOUNT = { account_id: 'a1' };
const ev = (event_name: string, extra: Record<string, unknown> = {}): StreamEvent =>
  ({ event_name, call_id: 'c1', msg_id: `m-${event_name}-${String(extra['event_sequence'] ?? 0)}`, custom_channel_vars: ACCOUNT, ...extra }) as unknown as StreamEvent;
const play = (events: StreamEvent[], start: CallMap = new Map()): CallMap => events.reduce((calls, e) => applyEvent(calls, e, 0), start);

describe('call facts the live-calls table and the call page show', () => {
  it('recording state follows RECORD_START, PAUSE, RESUME, STOP and RECORDING_FAILED; other events leave it', () => {
    const states: string[] = [];
    let calls: CallMap = new Map();
    for (const [i, name] of ['CHANNEL_CREATE', 'RECORD_START', 'CHANNEL_HOLD', 'RECORD_PAUSE', 'RECORD_RESUME', 'RECORD_STOP', 'RECORDING_SAVED', 'RECORD_START', 'RECORDING_FAILED'].entries()) {
      calls = applyEvent(calls, ev(name, { event_sequence: i + 1, timestamp_ms: i }), 0);
      states.push(calls.get('c1')?.recording ?? '');
    }
    expect(states).toEqual(['off', 'recording', 'recording', 'paused', 'recording', 'stopped', 'stopped', 'recording', 'failed']);
    expect(recordingAfter(ev('CHANNEL_ANSWER'), 'paused')).toBe('paused');
  });

  it('the dialect comes from the suffix of the call\'s first leg, so a B-leg shows the API that placed its call', () => {
    const calls = play([ev('CHANNEL_CREATE', { call_id: 'b-leg-1', origination_call_id: 'abc-quickcall' }), ev('CHANNEL_CREATE', { call_id: 'x-voipnow' }), ev('CHANNEL_CREATE', { call_id: 'inbound-1' })]);
    expect(['b-leg-1', 'x-voipnow', 'inbound-1'].map((id) => calls.get(id)?.dialect)).toEqual(['kazoo', 'voipnow', '']);
    expect([dialectOf(undefined, 'q-basix'), dialectOf('n-netaxis'), dialectOf('quickcall')]).toEqual(['basix', 'netaxis', '']);
  });

  it('a listed channel shows its recording state; an unknown one is off', () => {
    const calls = withChannels(new Map(), [{ call_id: 'r1-quickcall', state: 'bridged', recording: 'recording' }, { call_id: 'r2', recording: '<b>' }], 5);
    expect([calls.get('r1-quickcall')?.recording, calls.get('r1-quickcall')?.dialect, calls.get('r2')?.recording]).toEqual(['recording', 'kazoo', 'off']);
  });

  it('the timeline is in Event-Sequence order whatever order the events came in, even when their stamps disagree', () => {
    const calls = play([ev('CHANNEL_ANSWER', { event_sequence: 3, timestamp_ms: 10 }), ev('CHANNEL_CREATE', { event_sequence: 1, timestamp_ms: 20 }), ev('CHANNEL_PROGRESS', { event_sequence: 2, timestamp_ms: 30 })]);
    expect(calls.get('c1')?.timeline.map((t) => [t.sequence, t.name])).toEqual([[1, 'CHANNEL_CREATE'], [2, 'CHANNEL_PROGRESS'], [3, 'CHANNEL_ANSWER']]);
  });

  it('history and live timelines merge with each event once, in sequence order', () => {
    const entry = (key: string, sequence: number): TimelineEntry => ({ key, name: key, at: 100 - sequence, sequence });
    const history = [entry('a', 1), entry('b', 2), entry('c', 4)];
    const live = [entry('c', 4), entry('d', 5), entry('x', 3)];
    expect(mergeTimelines(history, live).map((t) => t.key)).toEqual(['a', 'b', 'x', 'c', 'd']);
  });

  it("a call's history binds every event of that Call-ID; the account's stream every call and originate_failed", () => {
    const one = callBindings('c1');
    expect(one).toContain('call.*.c1');
    expect(one).toContain('call.RECORD_STOP.c1');
    expect(one.every((b) => b.endsWith('.c1'))).toBe(true);
    expect(callBindings()).toContain('call.originate_failed.*');
  });
});
