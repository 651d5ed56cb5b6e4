import type { EventLog, EventPage, LoggedEvent } from '@legwork/call-state';
import { streamedEventSchema, type StreamedEvent } from './call-event.frame';
import { EventStreamError } from './event-stream.error';

/** Entries read from the log per round trip during a resume. */
export const REPLAY_PAGE = 500;

/** A logged entry as the live event it was: its payload, numbered as the log numbered it; undefined when unreadable. */
export function loggedEvent(entry: LoggedEvent): StreamedEvent | undefined {
  try {
    const parsed = streamedEventSchema.safeParse({ ...(JSON.parse(entry.payload) as object), 'Event-Sequence': entry.sequence });
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The first page after `since`, or `unavailable` in the blackhole's own words. */
export async function firstPage(log: EventLog | undefined, accountId: string, since: string): Promise<EventPage> {
  if (log === undefined) throw new EventStreamError('unavailable', 'resuming is not available on this endpoint');
  try {
    return await log.readAfter(accountId, since, REPLAY_PAGE);
  } catch {
    throw new EventStreamError('unavailable', 'the event log could not be read; retry the subscribe');
  }
}

/** The newest cursor of the account's log, for a subscribe reply; undefined when there is no log to ask. */
export async function headOf(log: EventLog | undefined, accountId: string): Promise<string | undefined> {
  if (log === undefined) return undefined;
  return log.head(accountId).catch(() => undefined);
}
