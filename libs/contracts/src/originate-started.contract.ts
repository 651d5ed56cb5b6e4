import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { scalarRecord, wireString } from './wire-types';

/** A channel exists: what a blocking quickcall (POST) waits for before answering 202. */
export const originateStarted = defineMessage({
  name: 'originate_started',
  category: 'resource',
  eventName: 'originate_started',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('originate_started'),
  body: {
    'Call-ID': wireString,
    'Channel-Call-State': z.string().optional(),
    'Channel-Name': z.string().optional(),
    'Outbound-Call-ID': z.string().optional(),
    'Control-Queue': z.string().optional(),
    'Media-Server': z.string().optional(),
    'Custom-Channel-Vars': scalarRecord.optional(),
    'Custom-Application-Vars': scalarRecord.optional(),
  },
});

export const originateStartedSchema = originateStarted.schema;
export type OriginateStarted = MessageOf<typeof originateStarted>;
