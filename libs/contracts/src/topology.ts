/** Exchanges, queues, headers and routing keys of the bus: the one definition every package uses. */
import { decodeRoutingKeySegment, encodeRoutingKeySegment } from './routing-key.codec';

export { decodeRoutingKeySegment, encodeRoutingKeySegment } from './routing-key.codec';

/** Kazoo's shared exchanges, named and typed as `kz_amqp.hrl` has them. */
export const EXCHANGES = {
  callmgr: { name: 'callmgr', type: 'topic' },
  targeted: { name: 'targeted', type: 'direct' },
  callevt: { name: 'callevt', type: 'topic' },
  callctl: { name: 'callctl', type: 'direct' },
} as const;

export type ExchangeName = (typeof EXCHANGES)[keyof typeof EXCHANGES]['name'];
export type ExchangeType = (typeof EXCHANGES)[keyof typeof EXCHANGES]['type'];

/**
 * How `kz_amqp_util:new_exchange/2` declares them (its defaults, no options passed): RabbitMQ refuses a
 * declare with other flags (406), so these must match exactly for Kazoo applications to share the broker.
 */
export const KAZOO_EXCHANGE_OPTIONS = { durable: false, autoDelete: false, internal: false, arguments: {} } as const;

export function isKazooExchange(name: string): name is ExchangeName {
  return Object.values(EXCHANGES).some((e) => e.name === name);
}

/** Legwork's own dead-letter exchange and queue (durable; no Kazoo application declares them). */
export const DEAD_LETTER = { exchange: 'legwork.dlx', type: 'fanout', queue: 'legwork.dead-letter' } as const;

/** Headers the bus sets on a dead-lettered message: why, and where it came from. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-legwork-reason',
  exchange: 'x-legwork-original-exchange',
  routingKey: 'x-legwork-original-routing-key',
  queue: 'x-legwork-original-queue',
} as const;

/** AMQP header carrying the raw Call-ID of every call event (`kapi_call:publish_event/2`; Kazoo hashes on it). */
export const CALL_ID_HEADER = 'call-id';

/** AMQP header of a call event: its position in its account's event log, the cursor a websocket client resumes from. */
export const EVENT_CURSOR_HEADER = 'event-cursor';

export const ROUTING_KEYS = {
  originateReq: 'originate.resource.req',
  callEventPrefix: 'call',
} as const;

/** For binding keys: Kazoo's encode keeps a lone `*` or `#`, so they stay wildcards; anything else is encoded. */
export function bindingKeySegment(text: string): string {
  return encodeRoutingKeySegment(text);
}

/** `call.{Event-Name}.{encode(Call-ID)}` on `callevt`, as `kapi_call:call_routing_key/2` (the event name is not encoded). */
export function callEventRoutingKey(eventName: string, callId: string): string {
  return `${ROUTING_KEYS.callEventPrefix}.${eventName}.${encodeRoutingKeySegment(callId)}`;
}

/** Binding for call events (`kapi_call:bind_q/2`); a lone `*`/`#` in either position is a wildcard. */
export function callEventBindingKey(eventName: string, callId = '*'): string {
  return `${ROUTING_KEYS.callEventPrefix}.${eventName}.${bindingKeySegment(callId)}`;
}

/** Splits a call event routing key into its event name and (decoded) Call-ID. */
export function parseCallEventRoutingKey(key: string): { eventName: string; callId: string } | undefined {
  const [prefix, eventName, callId, ...rest] = key.split('.');
  if (prefix !== ROUTING_KEYS.callEventPrefix || !eventName || !callId || rest.length > 0) return undefined;
  return { eventName, callId: decodeRoutingKeySegment(callId) };
}

export interface SharedQueueBinding {
  exchange: ExchangeName;
  routingKey: string;
}

/** Names of Legwork's durable queues that every node of a role shares; their owners declare them by these names. */
export const SHARED_QUEUE_NAMES = { originate: 'legwork.originate', cdr: 'legwork.cdr', webhooks: 'legwork.webhooks.events' } as const;

/**
 * Legwork's durable queues shared across nodes and bound to Kazoo's exchanges. Deleting an exchange
 * drops its bindings, so an exchange migration re-binds these (each app also binds its own at start).
 */
export const SHARED_QUEUES: ReadonlyArray<{ name: string; bindings: readonly SharedQueueBinding[] }> = [
  { name: SHARED_QUEUE_NAMES.originate, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: ROUTING_KEYS.originateReq }] },
  { name: SHARED_QUEUE_NAMES.cdr, bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey('CHANNEL_DESTROY') }] },
  { name: SHARED_QUEUE_NAMES.webhooks, bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey('*', '*') }] },
];

/** A media node's own queue on `callctl` (its routing key too): where commands for the calls it owns go. */
export const controlQueueOf = (nodeId: string): string => `callctl.${nodeId}`;
