import { z } from 'zod';
import { EVENT_CURSOR_PATTERN } from '@legwork/call-state';
import { EVENT_CURSOR_HEADER, callEventRoutingKey, encodeRoutingKeySegment, endUserOf, normalizeKey, originateFailedCallId, ROUTING_KEYS } from '@legwork/contracts';
import { channelOwnership, type Ownership } from '@legwork/directory';
import type { EventFrame } from './blackhole.protocol';
import type { Subscription } from './subscription.set';

/** Just enough of a call event to route it; the full contract was checked by its publisher. */
export const streamedEventSchema = z.looseObject({
  'Event-Name': z.string(),
  'Call-ID': z.string().optional(),
  'Custom-Channel-Vars': z.looseObject({ 'Account-ID': z.string().optional() }).optional(),
});
export type StreamedEvent = z.output<typeof streamedEventSchema>;

/** Kazoo's optional default headers that kz_api:public_fields/1 removes (all but Account-ID and Call-ID). */
const OPTIONAL_DEFAULT_HEADERS = new Set([
  'Access-Group', 'Defer-Response', 'Destination-Server', 'Geo-Location', 'Log-ID', 'Node', 'Server-ID', 'Server-Queue-ID',
  'Raw-Headers', 'Request-From-PID', 'Reply-To-PID', 'AMQP-Broker', 'AMQP-Broker-Zone', 'Deliver-To-PID',
]);

export function eventAccountId(event: StreamedEvent): string | undefined {
  const id = event['Custom-Channel-Vars']?.['Account-ID'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Who the event's call belongs to, from its channel vars (Owner-ID, Authorizing-ID/-Type). */
export function eventOwnership(event: StreamedEvent): Ownership {
  const ccv = event['Custom-Channel-Vars'] ?? {};
  return channelOwnership({ ownerId: ccv['Owner-ID'], authorizingId: ccv['Authorizing-ID'], authorizingType: ccv['Authorizing-Type'] });
}

/** kz_json:normalize/1: every key at every depth lower-cased with `_`, nulls dropped, values untouched. */
function normalizeDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeDeep);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[normalizeKey(k)] = normalizeDeep(v);
  return out;
}

/**
 * An event's `data` as bh_events:event/3 sends it: the public fields, normalized all the way down (channel vars included),
 * plus `end_user` decoded from its channel variable when the call carries one (Basix CTI notifications).
 */
export function blackholeData(event: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const pub = Object.fromEntries(Object.entries(event).filter(([k]) => !OPTIONAL_DEFAULT_HEADERS.has(k)));
  const data = normalizeDeep(pub) as Record<string, unknown>;
  const ccv = event['Custom-Channel-Vars'];
  const endUser = typeof ccv === 'object' && ccv !== null ? endUserOf(ccv as Record<string, unknown>) : undefined;
  return endUser === undefined ? data : { ...data, end_user: endUser };
}

/**
 * `routing_key` as blackhole_listener sends it, `call.{ACCOUNT}.{EVENT}.{encoded Call-ID}`; an event without a
 * Call-ID (originate_failed) keeps the word it was published under.
 */
export function blackholeRoutingKey(event: StreamedEvent, accountId: string, deliveredKey: string): string {
  const callId = event['Call-ID'];
  const word = typeof callId === 'string' && callId !== '' ? encodeRoutingKeySegment(callId) : deliveredKey.split('.').slice(2).join('.');
  return `${ROUTING_KEYS.callEventPrefix}.${accountId}.${event['Event-Name']}.${word}`;
}

/** `subscription_key`: the account binding Kazoo made for the subscription, one per event for `*` (bh_call ACCOUNT_BINDING). */
export function subscriptionKey(sub: Subscription, eventName: string): string {
  return `${ROUTING_KEYS.callEventPrefix}.${sub.accountId}.${sub.event === '*' ? eventName : sub.event}.${sub.callId}`;
}

export function eventFrame(event: StreamedEvent, routingKey: string, sub: Subscription, data: Record<string, unknown>, cursor?: string): EventFrame {
  return {
    action: 'event',
    subscribed_key: sub.binding,
    subscription_key: subscriptionKey(sub, event['Event-Name']),
    name: event['Event-Name'],
    routing_key: routingKey,
    ...(cursor !== undefined ? { cursor } : {}),
    data,
  };
}

/** The cursor a media node put on the event (`event-cursor` header), when it is one. */
export function cursorOf(headers: Record<string, unknown>): string | undefined {
  const cursor = headers[EVENT_CURSOR_HEADER];
  return typeof cursor === 'string' && EVENT_CURSOR_PATTERN.test(cursor) ? cursor : undefined;
}

/** The routing key a logged event was published under (originate_failed: by its request's ids). */
export function publishedRoutingKey(event: StreamedEvent): string {
  const name = event['Event-Name'];
  const id = name === 'originate_failed' ? originateFailedCallId(event as unknown as Parameters<typeof originateFailedCallId>[0]) : String(event['Call-ID'] ?? '');
  return callEventRoutingKey(name, id);
}
