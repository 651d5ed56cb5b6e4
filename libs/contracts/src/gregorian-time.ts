/**
 * Kazoo stamps events with gregorian seconds (seconds since 0000-01-01, Erlang's calendar).
 * Call events keep that in `Timestamp` so Kazoo tools read them unchanged, and add
 * `Timestamp-Ms` (unix epoch milliseconds) because JavaScript consumers and ordering need it.
 */
export const GREGORIAN_UNIX_OFFSET_S = 62_167_219_200;

export function gregorianSeconds(unixMs: number): number {
  return Math.floor(unixMs / 1000) + GREGORIAN_UNIX_OFFSET_S;
}

export function unixMsFromGregorian(gregorian: number): number {
  return (gregorian - GREGORIAN_UNIX_OFFSET_S) * 1000;
}

/** Both timestamp fields for an event that happened at `unixMs`. */
export function eventTimestamps(unixMs: number = Date.now()): { Timestamp: number; 'Timestamp-Ms': number } {
  return { Timestamp: gregorianSeconds(unixMs), 'Timestamp-Ms': unixMs };
}
