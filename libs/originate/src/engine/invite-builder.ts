import { escapeSipUser, quoteDisplayName, type OriginateRequest } from '@legwork/contracts';
import type { InviteOptions } from '@legwork/sip';
import { type PresentedCaller, anonymousCaller } from './caller-identity';
import type { ResolvedEndpoint, RouteTarget } from './originate.types';

/** `"Name" <sip:user@host>`: the name as an RFC 3261 quoted-string (backslash and quote escaped, control characters made spaces), the user escaped. */
export function nameAddr(user: string, host: string, name?: string): string {
  const quoted = name !== undefined ? quoteDisplayName(name) : '""';
  const display = quoted !== '""' ? `${quoted} ` : '';
  return `${display}<sip:${escapeSipUser(user)}@${host}>`;
}

/** Strips a sip: URI down to `user@host` for records and events. */
export function uriAddress(uri: string): string {
  return uri.replace(/^sips?:/, '').replace(/[;?>].*$/, '');
}

/** From and extra headers for a caller id: its own name-addr, or the RFC 3323 anonymous form. */
function presentCaller(caller: PresentedCaller, fromDomain: string, trusted: boolean, present: Array<[string, string]>): { from: string; headers: Array<[string, string]> } {
  return anonymousCaller(caller, fromDomain, trusted, present) ?? { from: nameAddr(caller.number, fromDomain, caller.name), headers: [] };
}

/** The caller id shown to the ringing device: the endpoint's Outbound-Caller-ID-*, else the request's. */
export function deviceCallerId(req: OriginateRequest, e: ResolvedEndpoint): { name?: string; number: string } {
  const name = e.endpoint['Outbound-Caller-ID-Name'] ?? req['Outbound-Caller-ID-Name'];
  const number = e.endpoint['Outbound-Caller-ID-Number'] ?? req['Outbound-Caller-ID-Number'] ?? 'anonymous';
  return name !== undefined ? { name, number } : { number };
}

const AUTO_ANSWER = (realm: string): Array<[string, string]> => [
  ['Call-Info', `<sip:${realm}>;answer-after=0`],
  ['Alert-Info', '<http://www.notused.com>;info=alert-autoanswer;delay=0'],
];

/** The offerless INVITE to one A-leg endpoint (third-party call control: A's 200 carries the offer); a device is never asserted an identity. */
export function aLegInvite(req: OriginateRequest, e: ResolvedEndpoint, fromDomain: string, contactUser: string, answer: InviteOptions['answer']): InviteOptions {
  const realm = e.endpoint['To-Realm'] ?? fromDomain;
  const has = (name: string): boolean => e.headers.some(([h]) => h.toLowerCase() === name.toLowerCase());
  const auto = e.autoAnswer && !has('Call-Info') ? AUTO_ANSWER(realm) : [];
  const caller = presentCaller(deviceCallerId(req, e), fromDomain, false, e.headers);
  return {
    uri: e.requestUri,
    target: e.target,
    from: caller.from,
    to: `<${e.requestUri}>`,
    callId: e.callId,
    contactUser,
    headers: [...e.headers, ...auto, ...caller.headers],
    ...(answer !== undefined ? { answer } : {}),
  };
}

/** The caller id the destination is shown: the route's From user, else the request's, else the device's own; the device's number backs an anonymous one. */
export function bLegCaller(req: OriginateRequest, a: Pick<ResolvedEndpoint, 'callerId'>, route: RouteTarget): PresentedCaller {
  const name = req['Caller-ID-Name'] ?? a.callerId?.name;
  const number = route.fromUser ?? req['Caller-ID-Number'] ?? a.callerId?.number ?? 'anonymous';
  const asserted = a.callerId?.number;
  return { number, ...(name !== undefined ? { name } : {}), ...(asserted !== undefined ? { asserted } : {}) };
}

/** The INVITE to the destination; only a carrier route is trusted with P-Asserted-Identity. */
export function bLegInvite(req: OriginateRequest, a: Pick<ResolvedEndpoint, 'callerId'>, route: RouteTarget, fromDomain: string, contactUser: string, offer: string, callId: string, shown = bLegCaller(req, a, route)): InviteOptions {
  const caller = presentCaller(shown, fromDomain, route.kind === 'carrier', route.headers);
  return {
    uri: route.requestUri,
    target: route.target,
    from: caller.from,
    to: `<${route.requestUri}>`,
    callId,
    contactUser,
    headers: [...route.headers, ...caller.headers],
    body: offer,
    // carriers usually challenge the INVITE (401/407): the UA core answers once with these
    ...(route.credentials !== undefined ? { credentials: route.credentials } : {}),
  };
}
