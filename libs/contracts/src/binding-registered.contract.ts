import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { EXCHANGES, encodeRoutingKeySegment } from './topology';
import { nonNegativeInt, wireString } from './wire-types';

/** Routing key prefix of registrar notices on `callevt` (apart from `call.*.*`): `registration.binding.{realm}`. */
export const REGISTRATION_EVENT_PREFIX = 'registration.binding';

/** Binding key for every realm's new bindings. */
export const BINDING_REGISTERED_ALL = `${REGISTRATION_EVENT_PREFIX}.*`;

/**
 * A REGISTER succeeded on a media node: the new binding, so a node holding a leg parked for this device
 * (RFC 8599 push wake-up) learns of it wherever the REGISTER landed. Facts only; nobody listening is fine.
 */
export const bindingRegistered = defineMessage({
  name: 'binding_registered',
  category: 'registration',
  eventName: 'binding_registered',
  exchange: EXCHANGES.callevt.name,
  routingKey: (msg) => `${REGISTRATION_EVENT_PREFIX}.${encodeRoutingKeySegment(msg.Realm)}`,
  body: {
    /** `user@realm`. */
    AOR: wireString,
    Realm: wireString,
    Username: wireString,
    'Account-ID': z.string().optional(),
    /** The binding's Contact URI as stored. */
    Contact: wireString,
    Transport: z.enum(['udp', 'tcp', 'ws', 'wss', 'tls'], { error: 'must be udp, tcp, ws, wss or tls' }),
    /** The node holding the connection (the flow owner): only it can reach a TCP/TLS/WS binding. */
    'Owner-Node': wireString,
    'Flow-Token': z.string().optional(),
    'Push-Provider': z.string().optional(),
    'Push-PRID': z.string().optional(),
    'Push-Param': z.string().optional(),
    /** Epoch ms. */
    'Expires-At': nonNegativeInt,
  },
});

export type BindingRegistered = MessageOf<typeof bindingRegistered>;
