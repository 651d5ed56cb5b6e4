/** Exchanges, routing keys and routing-key encoding, as Kazoo lays them out on the bus. */

export const EXCHANGES = {
  callmgr: { name: 'callmgr', type: 'topic' },
  targeted: { name: 'targeted', type: 'direct' },
  callevt: { name: 'callevt', type: 'topic' },
  callctl: { name: 'callctl', type: 'direct' },
} as const;

export type ExchangeName = (typeof EXCHANGES)[keyof typeof EXCHANGES]['name'];
export type ExchangeType = (typeof EXCHANGES)[keyof typeof EXCHANGES]['type'];

export const ROUTING_KEYS = {
  originateReq: 'originate.resource.req',
  callEventPrefix: 'call',
} as const;

/** Headers the bus sets when it dead-letters a message that failed its contract. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-legwork-dead-letter-reason',
  code: 'x-legwork-dead-letter-code',
  issues: 'x-legwork-dead-letter-issues',
} as const;

const ENCODE: Record<string, string> = { '.': '%2E', '*': '%2A', '#': '%23' };
const DECODE: Record<string, string> = { '%2E': '.', '%2A': '*', '%23': '#' };

/**
 * Makes one routing-key word out of arbitrary text (a Call-ID with dots or `@`).
 * Only `.`, `*` and `#` are escaped, exactly like Kazoo, so Kazoo consumers bind the same keys.
 */
export function encodeRoutingKeySegment(text: string): string {
  return text.replace(/[.*#]/g, (c) => ENCODE[c] ?? c);
}

/** Inverse of encodeRoutingKeySegment (case-insensitive hex, as Kazoo emits upper case). */
export function decodeRoutingKeySegment(word: string): string {
  return word.replace(/%2E|%2A|%23/gi, (m) => DECODE[m.toUpperCase()] ?? m);
}

/** For binding keys: a lone `*` or `#` stays a wildcard, anything else is encoded. */
export function bindingKeySegment(text: string): string {
  return text === '*' || text === '#' ? text : encodeRoutingKeySegment(text);
}

/** `call.{Event-Name}.{encoded Call-ID}` on `callevt`. */
export function callEventRoutingKey(eventName: string, callId: string): string {
  return `${ROUTING_KEYS.callEventPrefix}.${encodeRoutingKeySegment(eventName)}.${encodeRoutingKeySegment(callId)}`;
}

/** Binding for call events; `*`/`#` in either position act as wildcards. */
export function callEventBindingKey(eventName: string, callId = '*'): string {
  return `${ROUTING_KEYS.callEventPrefix}.${bindingKeySegment(eventName)}.${bindingKeySegment(callId)}`;
}

/** Splits a call event routing key back into its event name and Call-ID. */
export function parseCallEventRoutingKey(key: string): { eventName: string; callId: string } | undefined {
  const [prefix, eventName, callId, ...rest] = key.split('.');
  if (prefix !== ROUTING_KEYS.callEventPrefix || !eventName || !callId || rest.length > 0) return undefined;
  return { eventName: decodeRoutingKeySegment(eventName), callId: decodeRoutingKeySegment(callId) };
}
