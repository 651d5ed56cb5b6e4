import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { jsonObject, wireString } from './wire-types';

/** Error-Message values Kazoo clients match on (FreeSWITCH hangup causes plus Legwork's own). */
export const ORIGINATE_ERROR_MESSAGES = [
  'DESTINATION_OUT_OF_ORDER',
  'NO_ANSWER',
  'USER_BUSY',
  'CALL_REJECTED',
  'NO_USER_RESPONSE',
  'UNALLOCATED_NUMBER',
  'NORMAL_TEMPORARY_FAILURE',
  'ORIGINATOR_CANCEL',
  'channel_limit_reached',
] as const;

/**
 * Kazoo's error reply (`Event-Category: error`, `Event-Name: originate_resp`). Error-Message is left
 * open because switches report causes we do not list; Error-Code is Legwork's stable code. Call-ID is
 * the leg's uuid once one exists (ecallmgr omits it only before), Msg-ID the request's.
 */
export const originateError = defineMessage({
  name: 'originate_error',
  category: 'error',
  eventName: 'originate_resp',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('originate_error'),
  body: {
    'Error-Message': wireString,
    'Error-Code': z.string().optional(),
    /** Why, in words, when Error-Message is a bare cause (`NO_ANSWER`); Legwork extension. */
    'Error-Detail': z.string().optional(),
    Request: jsonObject.optional(),
    'Call-ID': z.string().optional(),
    'Outbound-Call-ID': z.string().optional(),
  },
});

export const originateErrorSchema = originateError.schema;
export type OriginateError = MessageOf<typeof originateError>;
