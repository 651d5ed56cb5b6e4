import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { customSipHeaders, scalarRecord, wireString } from './wire-types';

/** Success reply to an originate_req: the winning leg's Call-ID. */
export const originateResponse = defineMessage({
  name: 'originate_resp',
  category: 'resource',
  eventName: 'originate_resp',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('originate_resp'),
  body: {
    'Call-ID': wireString,
    'Application-Name': z.string().optional(),
    'Application-Response': z.string().optional(),
    'Channel-Call-State': z.string().optional(),
    'Channel-Name': z.string().optional(),
    'Other-Leg-Call-ID': z.string().optional(),
    'Outbound-Call-ID': z.string().optional(),
    'Control-Queue': z.string().optional(),
    'Media-Server': z.string().optional(),
    'Caller-ID-Name': z.string().optional(),
    'Caller-ID-Number': z.string().optional(),
    'Callee-ID-Name': z.string().optional(),
    'Callee-ID-Number': z.string().optional(),
    'Custom-Channel-Vars': scalarRecord.optional(),
    'Custom-Application-Vars': scalarRecord.optional(),
    'Custom-SIP-Headers': customSipHeaders.optional(),
  },
});

export const originateResponseSchema = originateResponse.schema;
export type OriginateResponse = MessageOf<typeof originateResponse>;
