import type { StreamEvent } from '../api/event-stream';

/** Where a leg's recording stands, as call-state names it (`off` before any start). */
export type RecordingState = 'off' | 'recording' | 'paused' | 'stopped' | 'failed';
export const RECORDING_STATES: readonly string[] = ['off', 'recording', 'paused', 'stopped', 'failed'];

/** One entry of a call's timeline: an event, placed by its Event-Sequence. */
export interface TimelineEntry {
  /** The event's msg_id: the same event replayed from the log and delivered live is one entry. */
  key: string;
  name: string;
  /** Unix ms: the event's own stamp, else when the console received it. */
  at: number;
  /** Event-Sequence: 1, 2, 3… over every event of the call, whichever leg or node sent it. */
  sequence?: number;
  /** The other leg the event names (Other-Leg-Call-ID): how a call's history finds its legs. */
  peer?: string;
  detail?: string;
}

/**
 * Each dialect suffixes the Call-IDs of the legs it originates (`-quickcall` for Kazoo); a call's first leg names them all
 * (Origination-Call-ID), so every leg of a call shows the API that placed it. A call no API placed (inbound) has none.
 */
const DIALECT_SUFFIXES: ReadonlyArray<[string, string]> = [
  ['-quickcall', 'kazoo'],
  ['-voipnow', 'voipnow'],
  ['-basix', 'basix'],
  ['-netaxis', 'netaxis'],
];

export function dialectOf(...callIds: Array<string | undefined>): string {
  for (const id of callIds) {
    const hit = DIALECT_SUFFIXES.find(([suffix]) => id?.endsWith(suffix) === true);
    if (hit !== undefined) return hit[1];
  }
  return '';
}

/** The recording state a recording event leaves; other events leave it as it was. */
export function recordingAfter(e: StreamEvent, current: RecordingState): RecordingState {
  switch (e.event_name) {
    case 'RECORD_START':
    case 'RECORD_RESUME':
      return 'recording';
    case 'RECORD_PAUSE':
      return 'paused';
    case 'RECORD_STOP':
      return 'stopped';
    case 'RECORDING_FAILED':
      return 'failed';
    default:
      return current;
  }
}

/** What a timeline line says beside the event's name. */
export function detailOf(e: StreamEvent): string | undefined {
  switch (e.event_name) {
    case 'CHANNEL_DESTROY':
      return `${e.hangup_cause}${e.hangup_code !== undefined ? ` (${e.hangup_code})` : ''}, ${e.duration_seconds} s`;
    case 'CHANNEL_BRIDGE':
      return `with ${e.other_leg_call_id}`;
    case 'originate_failed':
    case 'RECORDING_FAILED':
      return e.error_message;
    case 'RECORD_START':
      return e.media_recording_id;
    case 'RECORD_STOP':
      return e.length !== undefined ? `${e.media_recording_id ?? ''}, ${e.length} ms` : e.media_recording_id;
    case 'RECORDING_SAVED':
      return `${e.media_name}, ${e.length} ms`;
    default:
      return undefined;
  }
}

/** Event-Sequence order; entries without one (a channel listed over REST) by their time. */
function compare(a: TimelineEntry, b: TimelineEntry): number {
  if (a.sequence !== undefined && b.sequence !== undefined && a.sequence !== b.sequence) return a.sequence - b.sequence;
  return a.at - b.at;
}

/** Two timelines of one leg as one: each event once (by key), in sequence order. */
export function mergeTimelines<T extends TimelineEntry>(...timelines: ReadonlyArray<readonly T[]>): T[] {
  const byKey = new Map<string, T>();
  for (const entry of timelines.flat()) if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
  return [...byKey.values()].sort(compare);
}
