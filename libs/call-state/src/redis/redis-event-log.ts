import { type AppendedEvent, type EventAppend, type EventLog, type EventLogBounds, type EventPage, type LoggedEvent, compareCursors, parseAppend, parseRead } from '../event-log';
import { check } from '../call-store.validate';
import { appendEvent, readEvents } from './events.lua';
import { type RedisContext, guard } from './redis-context';

/** A live call's counter outlives any silence between its events by this much. */
const LIVE_SEQUENCE_TTL_MS = 24 * 60 * 60 * 1000;

type StreamEntry = [string, string[]];

/** One stream per account (`{acct:A}:events`) and one counter hash per call in the same slot, written by one script. */
export class RedisEventLog implements EventLog {
  constructor(
    private readonly ctx: RedisContext,
    private readonly bounds: EventLogBounds,
  ) {}

  async append(input: EventAppend): Promise<AppendedEvent | null> {
    const e = parseAppend(input);
    const { redis, keys, clock, endedTtlMs } = this.ctx;
    const minId = `${Math.max(0, clock.now() - this.bounds.maxAgeMs)}-0`;
    const args = [e.callId, e.final ? '1' : '0', e.payload, this.bounds.maxLength, minId, LIVE_SEQUENCE_TTL_MS, Math.max(endedTtlMs, this.bounds.maxAgeMs)];
    const result = await guard('events.append', () => appendEvent.run(redis, [keys.eventSequence(e.accountId, e.sequenceId), keys.accountEvents(e.accountId), keys.accountEventsDropped(e.accountId)], args));
    if (!Array.isArray(result)) return null;
    return { sequence: Number(result[0]), cursor: String(result[1]) };
  }

  async readAfter(accountId: string, cursor: string, limit: number): Promise<EventPage> {
    const q = parseRead(accountId, cursor, limit);
    const [dropped, entries] = (await guard('events.read', () => readEvents.run(this.ctx.redis, [this.ctx.keys.accountEvents(q.accountId), this.ctx.keys.accountEventsDropped(q.accountId)], [q.cursor, q.limit]))) as [string, StreamEntry[]];
    return { events: entries.map(toLogged), complete: compareCursors(String(dropped), q.cursor) <= 0 };
  }

  async head(accountId: string): Promise<string> {
    const key = this.ctx.keys.accountEvents(check.id(accountId, 'accountId'));
    const last = (await guard('events.head', () => this.ctx.redis.xrevrange(key, '+', '-', 'COUNT', 1))) as StreamEntry[];
    return last[0]?.[0] ?? '0-0';
  }
}

function toLogged([cursor, fields]: StreamEntry): LoggedEvent {
  const at = (name: string): string => fields[fields.indexOf(name) + 1] ?? '';
  return { cursor, sequence: Number(at('s')), payload: at('e') };
}
