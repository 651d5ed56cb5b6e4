import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { wireString } from './wire-types';

/** How a push request ended: `sent` (the push service took it, or a held leg's cancel was started), `failed` (Push-Error says why). */
export const PUSH_RESULTS = ['sent', 'failed'] as const;

/** A media node's answer to a `push_req`, on `targeted` to the requester's Server-ID with the request's Msg-ID. */
export const pushResponse = defineMessage({
  name: 'push_resp',
  category: 'push',
  eventName: 'push_resp',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('push_resp'),
  body: {
    'Call-ID': wireString,
    Result: z.enum(PUSH_RESULTS, { error: 'must be sent or failed' }),
    /** True when the Call-ID was a leg this node holds for the device (its events tell the rest). */
    'Held-Leg': z.boolean(),
    'Push-Status': z.number().int().optional(),
    'Push-Error': z.string().optional(),
  },
});

export type PushResponse = MessageOf<typeof pushResponse>;
