import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { wireString } from './wire-types';

/**
 * The requester's go-ahead after `originate_ready` (kapi_dialplan originate_execute), sent on `targeted` to the
 * ready message's Server-ID. Its own Server-ID (or Server-Queue-ID) becomes where later replies go.
 */
export const originateExecute = defineMessage({
  name: 'originate_execute',
  category: 'dialplan',
  eventName: 'originate_execute',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('originate_execute'),
  body: {
    'Call-ID': wireString,
    'Server-Queue-ID': z.string().optional(),
  },
});

export const originateExecuteSchema = originateExecute.schema;
export type OriginateExecute = MessageOf<typeof originateExecute>;
