import type { StreamEvent } from '../api/event-stream';
import { RECORDING_STATES, detailOf, dialectOf, mergeTimelines, recordingAfter, type RecordingState, type TimelineEntry } from './call-facts';

export type { RecordingState, TimelineEntry } from './call-facts';
export type CallState = 'new' | 'early' | 'ringing' | 'answered' | 'bridged' | 'held' | 'ended' | 'failed';

/** One leg as the live-calls table shows it. */
export interface LiveCall {
  callId: string;
  otherLeg?: string;
  direction: 'inbound' | 'outbound' | '';
  /** The call's first leg (Origination-Call-ID): legs with the same one share one Event-Sequence. */
  origination?: string;
  /** The API that placed the call (`kazoo`, `voipnow`…), '' for one none placed. */
  dialect: string;
  recording: RecordingState;
  from: string;
  to: string;
  state: CallState;
  /** Whether it was bridged before a hold, so an unhold goes back there. */
  bridged: boolean;
  createdAt: number;
  answeredAt?: number;
  endedAt?: number;
  hangupCause?: string;
  timeline: TimelineEntry[];
  /** msg_ids already applied: a reconnect or two matching bindings never count an event twice. */
  seen: string[];
}

export type CallMap = ReadonlyMap<string, LiveCall>;

/** A channel of GET /v2/accounts/{id}/channels (gregorian seconds), for calls already up when the page opened. */
export interface ChannelRow {
  call_id: string;
  other_leg?: string;
  direction?: 'inbound' | 'outbound';
  state?: string;
  from?: string;
  to?: string;
  caller_id_number?: string;
  callee_id_number?: string;
  recording?: string;
}

const STATES: readonly string[] = ['new', 'early', 'ringing', 'answered', 'bridged', 'held', 'ended'];

/** A channel row seeds a call the stream has not told of yet; the stream's own record wins. */
export function withChannels(calls: CallMap, rows: readonly ChannelRow[], now: number): CallMap {
  const next = new Map(calls);
  for (const row of rows) {
    if (next.has(row.call_id)) continue;
    const state = (STATES.includes(row.state ?? '') ? row.state : 'new') as CallState;
    next.set(row.call_id, {
      callId: row.call_id,
      ...(row.other_leg !== undefined ? { otherLeg: row.other_leg } : {}),
      direction: row.direction ?? '',
      dialect: dialectOf(row.call_id, row.other_leg),
      recording: (RECORDING_STATES.includes(row.recording ?? '') ? row.recording : 'off') as RecordingState,
      from: row.caller_id_number ?? row.from ?? '',
      to: row.callee_id_number ?? row.to ?? '',
      state,
      bridged: state === 'bridged',
      createdAt: now,
      timeline: [{ key: `listed:${row.call_id}`, name: `listed as ${state}`, at: now }],
      seen: [],
    });
  }
  return next;
}

const userOf = (uri: string | undefined): string => /^(?:sips?:)?([^@;>]+)/.exec((uri ?? '').replace(/^.*</, ''))?.[1] ?? '';

function nextState(call: LiveCall, name: string): Pick<LiveCall, 'state' | 'bridged'> {
  switch (name) {
    case 'CHANNEL_PROGRESS':
      return { state: call.answeredAt === undefined ? 'ringing' : call.state, bridged: call.bridged };
    case 'CHANNEL_ANSWER':
      return { state: call.bridged ? 'bridged' : 'answered', bridged: call.bridged };
    case 'CHANNEL_BRIDGE':
      return { state: 'bridged', bridged: true };
    case 'CHANNEL_UNBRIDGE':
      return { state: 'answered', bridged: false };
    case 'CHANNEL_HOLD':
      return { state: 'held', bridged: call.bridged };
    case 'CHANNEL_UNHOLD':
      return { state: call.bridged ? 'bridged' : 'answered', bridged: call.bridged };
    case 'CHANNEL_DESTROY':
      return { state: 'ended', bridged: false };
    default:
      return { state: call.state, bridged: call.bridged };
  }
}

function entryOf(e: StreamEvent, key: string, at: number): TimelineEntry {
  const detail = detailOf(e);
  return {
    key, name: e.event_name, at,
    ...(e.event_sequence !== undefined ? { sequence: e.event_sequence } : {}),
    ...(e.other_leg_call_id !== undefined ? { peer: e.other_leg_call_id } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}

/** A call event applied to the calls it concerns (originate_failed: every leg it names). */
export function applyEvent(calls: CallMap, e: StreamEvent, receivedAt: number): CallMap {
  const ids = e.event_name === 'originate_failed' ? (e.outbound_call_ids ?? []) : e.call_id !== undefined ? [e.call_id] : [];
  if (ids.length === 0) return calls;
  const next = new Map(calls);
  const at = e.timestamp_ms ?? receivedAt;
  const key = e.msg_id ?? `${e.event_name}:${at}`;
  for (const callId of ids) {
    const call: LiveCall = next.get(callId) ?? {
      callId,
      direction: '',
      dialect: '',
      recording: 'off',
      from: '',
      to: '',
      state: 'new',
      bridged: false,
      createdAt: at,
      timeline: [],
      seen: [],
    };
    if (call.seen.includes(key)) continue;
    const origination = call.origination ?? e.origination_call_id;
    const moved = e.event_name === 'originate_failed' ? { state: 'failed' as const, bridged: false } : nextState(call, e.event_name);
    next.set(callId, {
      ...call,
      ...moved,
      otherLeg: e.other_leg_call_id ?? call.otherLeg,
      ...(origination !== undefined ? { origination } : {}),
      direction: e.call_direction ?? call.direction,
      dialect: call.dialect || dialectOf(e.origination_call_id, callId),
      recording: recordingAfter(e, call.recording),
      from: call.from || e.caller_id_number || userOf(e.from),
      to: call.to || e.callee_id_number || userOf(e.to),
      ...(e.event_name === 'CHANNEL_ANSWER' && call.answeredAt === undefined ? { answeredAt: at } : {}),
      ...(moved.state === 'ended' || moved.state === 'failed' ? { endedAt: at } : {}),
      ...(e.event_name === 'CHANNEL_DESTROY' ? { hangupCause: e.hangup_cause } : e.event_name === 'originate_failed' ? { hangupCause: e.error_message } : {}),
      timeline: mergeTimelines(call.timeline, [entryOf(e, key, at)]),
      seen: [...call.seen, key].slice(-50),
    });
  }
  return prune(next);
}

/** Ended calls beyond this many leave the table, oldest first; live ones always stay. */
const KEEP_ENDED = 50;

function prune(calls: Map<string, LiveCall>): Map<string, LiveCall> {
  const ended = [...calls.values()].filter((c) => c.endedAt !== undefined).sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  for (const c of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) calls.delete(c.callId);
  return calls;
}

/** Seconds talking once answered (until the end), else seconds since created. */
export function durationOf(call: LiveCall, now: number): number {
  const from = call.answeredAt ?? call.createdAt;
  return Math.max(0, Math.floor(((call.endedAt ?? now) - from) / 1000));
}

export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, '0')}`;
}
