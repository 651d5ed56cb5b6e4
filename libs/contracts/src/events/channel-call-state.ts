/**
 * FreeSWITCH's `switch_channel_callstate_t`, which Kazoo relays verbatim as `Channel-Call-State`
 * (`UNHOLD` is how some FreeSWITCH charts spell `UNHELD`). Readers accept any string, so events of
 * other publishers (or of older Legwork nodes) are never refused for it.
 */
export const CHANNEL_CALL_STATES = ['DOWN', 'DIALING', 'RINGING', 'EARLY', 'ACTIVE', 'HELD', 'RING_WAIT', 'HANGUP', 'UNHELD', 'UNHOLD'] as const;
export type ChannelCallState = (typeof CHANNEL_CALL_STATES)[number];

/** Microseconds per millisecond: `Channel-Created-Time` is FreeSWITCH's µs since the Unix epoch. */
const US_PER_MS = 1000;
/** 1e14 µs is March 1973; 1e14 ms is the year 5138: a value below it can only be milliseconds. */
const MICROS_FLOOR = 1e14;

/** `Channel-Created-Time` (integer µs since the Unix epoch) for a channel created at `unixMs`. */
export function channelCreatedTime(unixMs: number): number {
  return Math.round(unixMs) * US_PER_MS;
}

/** Unix ms of a `Channel-Created-Time`; an older Legwork node sent milliseconds, which are read as such. */
export function channelCreatedMs(value: number): number {
  return value >= MICROS_FLOOR ? Math.floor(value / US_PER_MS) : value;
}
