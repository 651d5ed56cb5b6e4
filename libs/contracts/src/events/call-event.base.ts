import { z } from 'zod';
import { defineMessage, type MessageDefinition, type MessageSpec } from '../define-message';
import { EXCHANGES, callEventRoutingKey } from '../topology';
import { customSipHeaders, nonNegativeInt, scalarRecord, wireString } from '../wire-types';

export const CALL_EVENT_CATEGORY = 'call_event';

/** CCVs on call events always name the account, as Kazoo's do; other variables pass through. */
export const callEventChannelVarsSchema = z
  .looseObject({ 'Account-ID': wireString })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'must be a scalar' }));

/** Fields common to every call event (kapi_call optional call event headers, the ones Legwork emits). */
export const callEventFields = {
  'Other-Leg-Call-ID': z.string().optional(),
  'Call-Direction': z.enum(['inbound', 'outbound'], { error: 'must be inbound or outbound' }).optional(),
  'Caller-ID-Name': z.string().optional(),
  'Caller-ID-Number': z.string().optional(),
  'Callee-ID-Name': z.string().optional(),
  'Callee-ID-Number': z.string().optional(),
  From: z.string().optional(),
  To: z.string().optional(),
  /** The SIP request target (`user@realm`), as in Kazoo call events. */
  Request: z.string().optional(),
  'Presence-ID': z.string().optional(),
  /** Gregorian seconds, Kazoo's unit (see gregorian-time.ts). */
  Timestamp: nonNegativeInt.optional(),
  /** Unix epoch milliseconds; Legwork extension. */
  'Timestamp-Ms': nonNegativeInt.optional(),
  /** 1, 2, 3… over every event of the call Origination-Call-ID names, whichever leg or node sent it; Legwork extension. */
  'Event-Sequence': z.number().int().min(1).optional(),
  'Custom-Application-Vars': scalarRecord.optional(),
  'Custom-Channel-Vars': callEventChannelVarsSchema,
  'Custom-SIP-Headers': customSipHeaders.optional(),
  'Channel-State': z.string().optional(),
  /** FreeSWITCH's call state as Kazoo relays it (CHANNEL_CALL_STATES); any string is read. */
  'Channel-Call-State': z.string().optional(),
  'Channel-Name': z.string().optional(),
  /** Microseconds since the Unix epoch (FreeSWITCH's Caller-Channel-Created-Time). */
  'Channel-Created-Time': nonNegativeInt.optional(),
  'Hangup-Cause': z.string().optional(),
  'Hangup-Code': z.string().regex(/^sip:\d{3}$/, 'must look like sip:486').optional(),
  'Duration-Seconds': nonNegativeInt.optional(),
  'Billing-Seconds': nonNegativeInt.optional(),
  'Ringing-Seconds': nonNegativeInt.optional(),
  Disposition: z.string().optional(),
  'Media-Server': z.string().optional(),
  'Switch-Hostname': z.string().optional(),
  'User-Agent': z.string().optional(),
  /** The call's first leg (the A-leg): what Event-Sequence counts for. */
  'Origination-Call-ID': z.string().optional(),
  'Outbound-Call-ID': z.string().optional(),
} satisfies z.ZodRawShape;

const channelFields = { ...callEventFields, 'Call-ID': wireString };
type ChannelFields = typeof channelFields;

/** Declares one channel event: category call_event, exchange callevt, key call.{Event-Name}.{Call-ID}. */
export function defineCallEvent<const E extends string, X extends z.ZodRawShape>(
  eventName: E,
  extra: X,
  refine?: MessageSpec<typeof CALL_EVENT_CATEGORY, E, Omit<ChannelFields, keyof X> & X>['refine'],
): MessageDefinition<typeof CALL_EVENT_CATEGORY, E, Omit<ChannelFields, keyof X> & X> {
  const body = { ...channelFields, ...extra } as Omit<ChannelFields, keyof X> & X;
  return defineMessage({
    name: eventName,
    category: CALL_EVENT_CATEGORY,
    eventName,
    exchange: EXCHANGES.callevt.name,
    routingKey: (msg) => callEventRoutingKey(eventName, String((msg as unknown as Record<string, unknown>)['Call-ID'])),
    body,
    refine,
  });
}
