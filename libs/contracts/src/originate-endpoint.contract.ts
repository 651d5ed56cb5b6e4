import { z } from 'zod';
import { safeCustomSipHeaders, sipText } from './sip-safe';
import { positiveInt, nonNegativeInt, scalarRecord, stringList, wireBoolean } from './wire-types';

/** How the B2BUA builds the Request-URI for an endpoint (Kazoo's Invite-Format). */
export const INVITE_FORMATS = ['username', 'npan', '1npan', 'e164', 'strip_plus', 'route', 'contact', 'loopback'] as const;
export type InviteFormat = (typeof INVITE_FORMATS)[number];

/** One leg to ring: Kazoo's bridge/originate endpoint (kapi_dialplan optional endpoint headers); SIP-bound fields are sipText-checked. */
export const originateEndpointSchema = z
  .looseObject({
    'Invite-Format': z.enum(INVITE_FORMATS, { error: `must be one of ${INVITE_FORMATS.join(', ')}` }),
    'To-User': sipText.user.optional(),
    'To-Username': sipText.user.optional(),
    'To-Realm': sipText.host.optional(),
    'To-DID': sipText.user.optional(),
    'To-URI': sipText.uri.optional(),
    'To-IP': z.string().optional(),
    Route: sipText.uri.optional(),
    'Endpoint-ID': z.string().optional(),
    'Endpoint-Type': z.enum(['sip', 'freetdm', 'skype'], { error: 'must be sip, freetdm or skype' }).optional(),
    Codecs: stringList.optional(),
    'Outbound-Call-ID': sipText.callId.optional(),
    'Outbound-Caller-ID-Name': sipText.displayName.optional(),
    'Outbound-Caller-ID-Number': sipText.user.optional(),
    'Outbound-Callee-ID-Name': z.string().optional(),
    'Outbound-Callee-ID-Number': z.string().optional(),
    'Caller-ID-Name': sipText.displayName.optional(),
    'Caller-ID-Number': sipText.user.optional(),
    'Callee-ID-Name': z.string().optional(),
    'Callee-ID-Number': z.string().optional(),
    'Custom-SIP-Headers': safeCustomSipHeaders.optional(),
    'Custom-Channel-Vars': scalarRecord.optional(),
    'Custom-Application-Vars': scalarRecord.optional(),
    'Presence-ID': z.string().optional(),
    'Auth-User': z.string().optional(),
    'Auth-Password': z.string().optional(),
    'Auth-Realm': z.string().optional(),
    'SIP-Transport': z.enum(['udp', 'tcp', 'tls', 'sctp', 'ws', 'wss'], { error: 'must be udp, tcp, tls, sctp, ws or wss' }).optional(),
    'SIP-Interface': z.string().optional(),
    'Proxy-IP': z.string().optional(),
    'Bypass-Media': wireBoolean.optional(),
    'Ignore-Early-Media': wireBoolean.optional(),
    'Ignore-Completed-Elsewhere': wireBoolean.optional(),
    'Endpoint-Timeout': positiveInt.optional(),
    'Endpoint-Progress-Timeout': positiveInt.optional(),
    'Endpoint-Delay': nonNegativeInt.optional(),
    'Hold-Media': z.string().optional(),
    /** Legwork shorthand for the `Auto-Answer` channel variable Kazoo carries in Custom-Channel-Vars. */
    'Auto-Answer': wireBoolean.optional(),
  })
  .superRefine((ep, ctx) => {
    const need = (ok: boolean, field: string, message: string): void => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    const format = ep['Invite-Format'];
    if (format === 'username' || format === 'contact') {
      need(!!(ep['To-User'] || ep['To-Username']), 'To-User', `Invite-Format: ${format} requires To-User or To-Username`);
      need(!!ep['To-Realm'], 'To-Realm', `Invite-Format: ${format} requires To-Realm`);
    } else if (format === 'route') {
      need(!!(ep.Route || ep['To-URI']), 'Route', 'Invite-Format: route requires Route or To-URI');
    } else if (format === 'loopback') {
      need(!!(ep.Route || ep['To-DID']), 'Route', 'Invite-Format: loopback requires Route or To-DID');
    } else {
      need(!!(ep['To-DID'] || ep['To-User']), 'To-DID', `Invite-Format: ${format} requires To-DID or To-User`);
    }
  });

export type OriginateEndpoint = z.infer<typeof originateEndpointSchema>;

/** Auto-answer either way Kazoo tools ask for it: the endpoint flag or the channel variable. */
export function endpointAutoAnswer(ep: OriginateEndpoint): boolean {
  const ccv = ep['Custom-Channel-Vars']?.['Auto-Answer'];
  return ep['Auto-Answer'] === true || ccv === true || ccv === 'true';
}
