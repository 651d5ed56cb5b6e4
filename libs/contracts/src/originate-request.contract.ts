import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { type OriginateEndpoint, originateEndpointSchema } from './originate-endpoint.contract';
import { EXCHANGES, ROUTING_KEYS } from './topology';
import { safeCustomSipHeaders, sipText } from './sip-safe';
import { positiveInt, scalarRecord, stringList, wireBoolean, wireString } from './wire-types';

export const ORIGINATE_APPLICATIONS = ['transfer', 'park', 'bridge', 'eavesdrop', 'fax'] as const;
export const MEDIA_MODES = ['process', 'bypass', 'auto'] as const;
export const DIAL_METHODS = ['single', 'simultaneous'] as const;

/** Application-Data: for `transfer`, where to send the answered leg; for `bridge` without Existing-Call-ID, one endpoint (see bridgeEndpointOf). */
export const applicationDataSchema = z.looseObject({ Route: sipText.uri.optional() }, { error: 'must be an object' });

/** The endpoint a `bridge` without Existing-Call-ID joins the answered leg to: Application-Data as one element of Endpoints (ecallmgr's get_bridge_action). */
export function bridgeEndpointOf(msg: { 'Application-Data'?: Record<string, unknown> }): OriginateEndpoint | undefined {
  const parsed = originateEndpointSchema.safeParse(msg['Application-Data']);
  return parsed.success ? parsed.data : undefined;
}

/** The request that starts everything: Kazoo's kapi_resource originate_req, accepted as Kazoo tools publish it. */
export const originateRequest = defineMessage({
  name: 'originate_req',
  category: 'resource',
  eventName: 'originate_req',
  exchange: EXCHANGES.callmgr.name,
  routingKey: () => ROUTING_KEYS.originateReq,
  body: {
    'Application-Name': z.enum(ORIGINATE_APPLICATIONS, { error: `must be one of ${ORIGINATE_APPLICATIONS.join(', ')}` }),
    Endpoints: z.array(originateEndpointSchema, { error: 'must be an array of endpoints' }).min(1, 'must list at least one endpoint'),
    'Application-Data': applicationDataSchema.optional(),
    'Custom-Application-Vars': scalarRecord.optional(),
    'Custom-Channel-Vars': scalarRecord.optional(),
    'Custom-SIP-Headers': safeCustomSipHeaders.optional(),
    'Export-Custom-Channel-Vars': stringList.optional(),
    'Existing-Call-ID': wireString.optional(),
    'Outbound-Call-ID': sipText.callId.optional(),
    Timeout: positiveInt.optional(),
    'Ignore-Early-Media': wireBoolean.optional(),
    'Ignore-Forward': wireBoolean.optional(),
    Media: z.enum(MEDIA_MODES, { error: 'must be process, bypass or auto' }).optional(),
    'Continue-On-Fail': wireBoolean.optional(),
    'Fail-On-Single-Reject': wireBoolean.optional(),
    'Dial-Endpoint-Method': z.enum(DIAL_METHODS, { error: 'must be single or simultaneous' }).optional(),
    'Outbound-Caller-ID-Name': sipText.displayName.optional(),
    'Outbound-Caller-ID-Number': sipText.user.optional(),
    'Outbound-Callee-ID-Name': z.string().optional(),
    'Outbound-Callee-ID-Number': z.string().optional(),
    'Caller-ID-Name': sipText.displayName.optional(),
    'Caller-ID-Number': sipText.user.optional(),
    'Callee-ID-Name': z.string().optional(),
    'Callee-ID-Number': z.string().optional(),
    Ringback: z.string().optional(),
    'Hold-Media': z.string().optional(),
    'Secure-RTP': wireBoolean.optional(),
    'Fax-Identity-Name': z.string().optional(),
    'Fax-Identity-Number': z.string().optional(),
    'Fax-Timezone': z.string().optional(),
    'Eavesdrop-Call-ID': z.string().optional(),
    'Eavesdrop-Mode': z.enum(['listen', 'whisper', 'full'], { error: 'must be listen, whisper or full' }).optional(),
    'Eavesdrop-Group-ID': z.string().optional(),
    'Simplify-Loopback': wireBoolean.optional(),
    'Loopback-Bowout': wireBoolean.optional(),
    'Originate-Immediate': wireBoolean.optional(),
    'Start-Control-Process': wireBoolean.optional(),
    'Intercept-Unbridged-Only': wireBoolean.optional(),
    /** Legwork extension: false refuses video (port 0) in every SDP relayed between the legs; default true. */
    'Media-Video': wireBoolean.optional(),
    /** Legwork extension: hang up the call this many seconds after answer. */
    'Max-Call-Duration': positiveInt.optional(),
  },
  refine: (msg, ctx) => {
    const app = msg['Application-Name'];
    if (app === 'transfer' && !msg['Application-Data']?.Route) {
      ctx.addIssue({ code: 'custom', path: ['Application-Data', 'Route'], message: 'Application-Name: transfer requires Application-Data.Route' });
    }
    const data = msg['Application-Data'];
    if (app === 'bridge' && !msg['Existing-Call-ID'] && data?.['Invite-Format'] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['Existing-Call-ID'], message: 'Application-Name: bridge requires Existing-Call-ID, or an endpoint (with Invite-Format) in Application-Data' });
    } else if (app === 'bridge' && !msg['Existing-Call-ID']) {
      // the endpoint reaches SIP like any element of Endpoints: the same rules, reported under Application-Data
      const endpoint = originateEndpointSchema.safeParse(data);
      for (const issue of endpoint.success ? [] : endpoint.error.issues) ctx.addIssue({ code: 'custom', path: ['Application-Data', ...issue.path.map(String)], message: issue.message });
    }
    if (app === 'eavesdrop' && !msg['Eavesdrop-Call-ID'] && !msg['Eavesdrop-Group-ID']) {
      ctx.addIssue({ code: 'custom', path: ['Eavesdrop-Call-ID'], message: 'Application-Name: eavesdrop requires Eavesdrop-Call-ID or Eavesdrop-Group-ID' });
    }
  },
});

export const originateRequestSchema = originateRequest.schema;
export type OriginateRequest = MessageOf<typeof originateRequest>;
