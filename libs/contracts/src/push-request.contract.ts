import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { PUSH_KINDS } from './events/push-sent.event';
import { sipText } from './sip-safe';
import { EXCHANGES, encodeRoutingKeySegment } from './topology';
import { wireString } from './wire-types';

/** Routing key of push requests any media node may send; a node's own key (`push.req.{node}`) is for the legs it holds. */
export const PUSH_REQUEST_ROUTING_KEY = 'push.req';

/** The queue every media node shares for push requests, and each node's own. */
export const SHARED_PUSH_QUEUE = 'legwork.push';
export const nodePushQueue = (nodeId: string): string => `legwork.push.${nodeId}`;
export const nodePushRoutingKey = (nodeId: string): string => `${PUSH_REQUEST_ROUTING_KEY}.${encodeRoutingKeySegment(nodeId)}`;

/** What a cancel push tells the device (X-on's `reason`). */
export const PUSH_CANCEL_REASONS = ['cancelled', 'answered_elsewhere'] as const;
export type PushCancelReasonCode = (typeof PUSH_CANCEL_REASONS)[number];

/**
 * Send one push to a device (a push-call API: X-on `call`, `update-call`, `cancel-call`), on `callmgr`. A media node
 * holding a leg with this Call-ID parked or ringing for the device acts on it too (a cancel cancels it); any other
 * Call-ID is pushed as given. The node answers `push_resp` to the Server-ID. Legwork's own message.
 */
export const pushRequest = defineMessage({
  name: 'push_req',
  category: 'push',
  eventName: 'push_req',
  exchange: EXCHANGES.callmgr.name,
  routingKey: (_msg, target) => (target ? nodePushRoutingKey(target) : PUSH_REQUEST_ROUTING_KEY),
  body: {
    'Call-ID': sipText.callId,
    'Account-ID': wireString,
    /** The device's directory id: a held leg is acted on only when it rings this device. */
    'Device-ID': wireString,
    'Push-Provider': wireString,
    'Push-PRID': wireString,
    'Push-Param': z.string().optional(),
    'Push-Kind': z.enum(PUSH_KINDS, { error: 'must be call, update or cancel' }),
    'Caller-ID-Name': sipText.displayName.optional(),
    'Push-Reason': z.enum(PUSH_CANCEL_REASONS, { error: 'must be cancelled or answered_elsewhere' }).optional(),
  },
  refine: (msg, ctx) => {
    if (msg['Push-Kind'] === 'cancel' && msg['Push-Reason'] === undefined) ctx.addIssue({ code: 'custom', path: ['Push-Reason'], message: 'Push-Kind: cancel requires Push-Reason' });
  },
});

export type PushRequest = MessageOf<typeof pushRequest>;
