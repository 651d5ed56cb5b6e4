import type { Clock } from '../clock';
import { check } from '../call-store.validate';
import { type AppendedEvent, type EventAppend, type EventLog, type EventLogBounds, type EventPage, type LoggedEvent, compareCursors, parseAppend, parseRead } from '../event-log';

const LIVE_SEQUENCE_TTL_MS = 24 * 60 * 60 * 1000;

interface Sequence {
  n: number;
  ended: Set<string>;
  expiresAt: number;
}

interface AccountLog {
  entries: LoggedEvent[];
  /** The newest cursor trimmed away, as Redis keeps `max-deleted-entry-id`. */
  dropped: string;
}

/** The Redis stream twin: per-account arrays numbered `{ms}-{n}` like stream ids, trimmed by length and age on append. */
export class MemoryEventLog implements EventLog {
  private readonly logs = new Map<string, AccountLog>();
  private readonly sequences = new Map<string, Sequence>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private lastMs = 0;
  private lastN = -1;

  constructor(
    private readonly clock: Clock,
    private readonly bounds: EventLogBounds,
    private readonly endedTtlMs: number,
  ) {}

  async append(input: EventAppend): Promise<AppendedEvent | null> {
    const e = parseAppend(input);
    const now = this.clock.now();
    const key = `${e.accountId} ${e.sequenceId}`;
    let seq = this.sequences.get(key);
    if (seq === undefined || seq.expiresAt <= now) seq = { n: 0, ended: new Set(), expiresAt: 0 };
    if (e.final && seq.ended.has(e.callId)) return null;
    if (e.final) seq.ended.add(e.callId);
    seq.n += 1;
    seq.expiresAt = now + (e.final ? Math.max(this.endedTtlMs, this.bounds.maxAgeMs) : LIVE_SEQUENCE_TTL_MS);
    this.sequences.set(key, seq);
    const log = this.logs.get(e.accountId) ?? { entries: [], dropped: '0-0' };
    this.logs.set(e.accountId, log);
    const entry: LoggedEvent = { cursor: this.nextCursor(now), sequence: seq.n, payload: e.payload };
    log.entries.push(entry);
    this.trim(log, now);
    this.expireSequences(now);
    return { sequence: entry.sequence, cursor: entry.cursor };
  }

  async readAfter(accountId: string, cursor: string, limit: number): Promise<EventPage> {
    const q = parseRead(accountId, cursor, limit);
    const log = this.logs.get(q.accountId);
    if (log === undefined) return { events: [], complete: true };
    const events = log.entries.filter((entry) => compareCursors(entry.cursor, q.cursor) > 0).slice(0, q.limit);
    return { events: events.map((entry) => ({ ...entry })), complete: compareCursors(log.dropped, q.cursor) <= 0 };
  }

  async head(accountId: string): Promise<string> {
    const entries = this.logs.get(check.id(accountId, 'accountId'))?.entries ?? [];
    return entries[entries.length - 1]?.cursor ?? '0-0';
  }

  /** Ids grow even if the clock steps back, as Redis keeps them. */
  private nextCursor(now: number): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.lastN = 0;
    } else {
      this.lastN += 1;
    }
    return `${this.lastMs}-${this.lastN}`;
  }

  private trim(log: AccountLog, now: number): void {
    const minMs = now - this.bounds.maxAgeMs;
    let cut = Math.max(0, log.entries.length - this.bounds.maxLength);
    while (cut < log.entries.length && Number(log.entries[cut].cursor.split('-')[0]) < minMs) cut += 1;
    if (cut === 0) return;
    log.dropped = log.entries[cut - 1].cursor;
    log.entries.splice(0, cut);
  }

  private expireSequences(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [key, seq] of this.sequences) if (seq.expiresAt <= now) this.sequences.delete(key);
  }
}
