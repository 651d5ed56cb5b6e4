import { z } from 'zod';
import { parseInput } from './call-record';
import { CallStateError } from './call-state.errors';
import { check } from './call-store.validate';

/** A position in one account's event log: `{ms}-{n}`, as Redis Streams number entries; only ever grows. */
export const EVENT_CURSOR_PATTERN = /^\d{1,15}-\d{1,15}$/;

export interface EventLogBounds {
  /** Entries kept per account (the oldest go first). */
  maxLength: number;
  /** Entries older than this are dropped. */
  maxAgeMs: number;
}

export const DEFAULT_EVENT_LOG_BOUNDS: EventLogBounds = { maxLength: 10_000, maxAgeMs: 15 * 60 * 1000 };

export interface EventAppend {
  /** The log the event goes to: its call's account. */
  accountId: string;
  /** The call the sequence counts for (every leg of one call shares it). */
  sequenceId: string;
  /** The leg the event is about. */
  callId: string;
  /** A leg's last event (CHANNEL_DESTROY): appended once per leg, cluster-wide; a second one is refused. */
  final: boolean;
  /** The event as it will be published, without its sequence. */
  payload: string;
}

export interface AppendedEvent {
  sequence: number;
  cursor: string;
}

export interface LoggedEvent extends AppendedEvent {
  payload: string;
}

export interface EventPage {
  events: LoggedEvent[];
  /** False when entries after the cursor were already dropped by the bounds: the reader missed some for good. */
  complete: boolean;
}

/**
 * Per-call event sequence numbers and per-account event logs, bounded by length and age. One append is one
 * atomic step (one round trip): the call's next sequence number and the entry that carries it.
 */
export interface EventLog {
  /** Null when `final` and this leg's final event was already appended (by this node or another). */
  append(input: EventAppend): Promise<AppendedEvent | null>;
  /** Up to `limit` entries after `cursor` (exclusive), oldest first. */
  readAfter(accountId: string, cursor: string, limit: number): Promise<EventPage>;
  /** The cursor of the newest entry, or `0-0` for an empty log. */
  head(accountId: string): Promise<string>;
}

const appendSchema = z.object({
  accountId: z.string().min(1).max(256),
  sequenceId: z.string().min(1).max(256),
  callId: z.string().min(1).max(256),
  final: z.boolean(),
  payload: z.string().min(2),
});

const boundsSchema = z.object({ maxLength: z.number().int().min(1), maxAgeMs: z.number().int().min(1000) });

const idOk = (value: unknown): boolean => typeof value === 'string' && value.length >= 1 && value.length <= 256;

/** An append as the schema takes it; checked by hand first, as every call event is one (the schema gives the errors). */
export function parseAppend(input: EventAppend): EventAppend {
  const { accountId, sequenceId, callId, final, payload } = (input ?? {}) as Partial<EventAppend>;
  if (idOk(accountId) && idOk(sequenceId) && idOk(callId) && typeof final === 'boolean' && typeof payload === 'string' && payload.length >= 2) {
    return { accountId, sequenceId, callId, final, payload } as EventAppend;
  }
  return parseInput(appendSchema, input, 'event');
}

export function parseBounds(bounds: EventLogBounds): EventLogBounds {
  return parseInput(boundsSchema, bounds, 'event log bounds');
}

export function parseRead(accountId: string, cursor: string, limit: number): { accountId: string; cursor: string; limit: number } {
  if (typeof cursor !== 'string' || !EVENT_CURSOR_PATTERN.test(cursor)) throw new CallStateError('invalid_input', 'invalid cursor: must look like 1733100000000-0', { field: 'cursor' });
  return { accountId: check.id(accountId, 'accountId'), cursor, limit: parseInput(z.number().int().min(1).max(10_000), limit, 'limit') };
}

/** Orders two cursors: negative when a comes first. */
export function compareCursors(a: string, b: string): number {
  const [am, an] = a.split('-').map(Number);
  const [bm, bn] = b.split('-').map(Number);
  return am !== bm ? am - bm : an - bn;
}
