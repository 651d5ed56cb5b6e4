import { z } from 'zod';
import { defineMessage, type MessageOf } from '../define-message';
import { EXCHANGES, callEventRoutingKey } from '../topology';
import { jsonObject, scalarRecord, stringList, wireString } from '../wire-types';
import { CALL_EVENT_CATEGORY, callEventFields } from './call-event.base';

/** The id an originate_failed is routed by (and carries in its call-id header): Call-ID, else the first Outbound-Call-ID, else Msg-ID. */
export function originateFailedCallId(msg: { 'Call-ID'?: string; 'Outbound-Call-IDs'?: string[]; 'Msg-ID': string }): string {
  return msg['Call-ID'] ?? msg['Outbound-Call-IDs']?.[0] ?? msg['Msg-ID'];
}

/**
 * An originate that failed before any leg existed. Kazoo stays silent here; Legwork publishes this
 * so fire-and-forget callers still learn of it. It has no Call-ID of its own, only the request's ids.
 */
export const originateFailed = defineMessage({
  name: 'originate_failed',
  category: CALL_EVENT_CATEGORY,
  eventName: 'originate_failed',
  exchange: EXCHANGES.callevt.name,
  routingKey: (msg) => callEventRoutingKey('originate_failed', originateFailedCallId(msg)),
  body: {
    ...callEventFields,
    'Call-ID': z.string().optional(),
    'Error-Message': wireString,
    /** Stable code (`channel_limit_reached`, `originate_invalid`, `no_answer`), never prose. */
    'Error-Code': z.string().optional(),
    /** Why, in words, when Error-Message is a bare cause; Legwork extension. */
    'Error-Detail': z.string().optional(),
    /** The originate_req as received, so the subscriber can tell which request failed. */
    Request: jsonObject.optional(),
    'Outbound-Call-IDs': stringList.optional(),
    'Custom-Channel-Vars': scalarRecord.optional(),
  },
});

export const originateFailedSchema = originateFailed.schema;
export type OriginateFailed = MessageOf<typeof originateFailed>;
