import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { wireString } from './wire-types';

/**
 * Kazoo's handshake before a `park` rings (kapi_dialplan originate_ready): the call id is known and the node
 * waits for `originate_execute` at this message's Server-ID. Msg-ID is the request's.
 */
export const originateReady = defineMessage({
  name: 'originate_ready',
  category: 'dialplan',
  eventName: 'originate_ready',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('originate_ready'),
  body: {
    'Call-ID': wireString,
    'Control-Queue': wireString,
    'Outbound-Call-ID': z.string().optional(),
  },
});

export const originateReadySchema = originateReady.schema;
export type OriginateReady = MessageOf<typeof originateReady>;
