import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { wireString } from './wire-types';

/** First reply: the call id is known (and where to send commands for it) before anything rings. */
export const originateUuid = defineMessage({
  name: 'originate_uuid',
  category: 'resource',
  eventName: 'originate_uuid',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('originate_uuid'),
  body: {
    'Outbound-Call-ID': wireString,
    'Outbound-Call-Control-Queue': z.string().optional(),
  },
});

export const originateUuidSchema = originateUuid.schema;
export type OriginateUuid = MessageOf<typeof originateUuid>;
