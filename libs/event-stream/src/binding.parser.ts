import { encodeRoutingKeySegment, isCallEventName, ROUTING_KEYS } from '@legwork/contracts';
import { EventStreamError } from './event-stream.error';

/** What `call.*.{CALL_ID}` covers: exactly the events Kazoo's bh_call listens to (its LISTEN_TO). */
export const BLACKHOLE_CALL_EVENTS: ReadonlySet<string> = new Set([
  'CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_BRIDGE',
  'PARK_PARKED', 'PARK_RETRIEVED', 'PARK_ABANDONED',
]);

/** A validated blackhole binding and the `callevt` binding key that carries its events. */
export interface ParsedBinding {
  /** As the client wrote it; echoed back as `subscribed_key`. */
  binding: string;
  /** The event name, or `*` for every event of BLACKHOLE_CALL_EVENTS. */
  event: string;
  /** `*` or the Call-ID as one routing-key word (Kazoo's encoding). */
  callId: string;
  routingKey: string;
}

const MAX_BINDING_LENGTH = 255;
/** A word Kazoo's encode/1 could have produced: kept as given, so clients may send the encoded Call-ID as Kazoo expects. */
const ENCODED_WORD = /^(?:[A-Za-z0-9~_+-]|%[0-9A-F]{2})+$/;

/**
 * Accepts exactly `call.{EVENT|*}.{CALL_ID|*}` (bh_call:validate/2) and the shorthand `originate_failed`.
 * EVENT is one of BLACKHOLE_CALL_EVENTS or, a Legwork extension, any other call event it publishes.
 * CALL_ID is the encoded Call-ID, as in Kazoo's routing keys; a raw one (`abc@host`) is encoded here.
 */
export function parseBinding(binding: unknown): ParsedBinding {
  if (typeof binding !== 'string' || binding.length === 0 || binding.length > MAX_BINDING_LENGTH) {
    throw invalid(String(binding).slice(0, MAX_BINDING_LENGTH), 'binding must be a non-empty string of at most 255 characters');
  }
  if (binding === 'originate_failed') return { binding, event: 'originate_failed', callId: '*', routingKey: key('originate_failed', '*') };
  const [prefix, ...keys] = binding.split('.');
  if (prefix !== ROUTING_KEYS.callEventPrefix) throw invalid(binding, 'no available subscriptions to requested binding');
  const [event, callId] = keys;
  if (keys.length !== 2 || event === undefined || callId === undefined || event === '' || callId === '' || callId === '#') {
    throw invalid(binding, `invalid format for call subscription : ${keys.join(', ')}`);
  }
  if (event !== '*' && !BLACKHOLE_CALL_EVENTS.has(event) && !isCallEventName(event)) throw invalid(binding, `event ${event} not supported`);
  const word = callId === '*' || ENCODED_WORD.test(callId) ? callId : encodeRoutingKeySegment(callId);
  return { binding, event, callId: word, routingKey: key(event, word) };
}

function key(event: string, word: string): string {
  return `${ROUTING_KEYS.callEventPrefix}.${event}.${word}`;
}

function invalid(binding: string, message: string): EventStreamError {
  return new EventStreamError('invalid_binding', message, { binding });
}
