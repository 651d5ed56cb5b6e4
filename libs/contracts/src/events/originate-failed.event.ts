import { z } from 'zod';
import { defineMessage, type MessageOf } from '../define-message';
import { EXCHANGES, callEventRoutingKey } from '../topology';
import { jsonObject, scalarRecord, stringList, wireString } from '../wire-types';
import { CALL_EVENT_CATEGORY, callEventFields } from './call-event.base';

/**
 * An originate that failed before any leg existed. Kazoo stays silent here; Legwork publishes this
 * so fire-and-forget callers still learn of it. It has no Call-ID of its own, only the request's ids.
 */
export const originateFailed = defineMessage({
  name: 'originate_failed',
  category: CALL_EVENT_CATEGORY,
  eventName: 'originate_failed',
  exchange: EXCHANGES.callevt.name,
  routingKey: (msg) =>
    callEventRoutingKey('originate_failed', msg['Call-ID'] ?? msg['Outbound-Call-IDs']?.[0] ?? msg['Msg-ID']),
  body: {
    ...callEventFields,
    'Call-ID': z.string().optional(),
    'Error-Message': wireString,
    'Error-Code': z.string().optional(),
    /** The originate_req as received, so the subscriber can tell which request failed. */
    Request: jsonObject.optional(),
    'Outbound-Call-IDs': stringList.optional(),
    'Custom-Channel-Vars': scalarRecord.optional(),
  },
});

export const originateFailedSchema = originateFailed.schema;
export type OriginateFailed = MessageOf<typeof originateFailed>;
