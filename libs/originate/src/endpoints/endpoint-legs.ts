import type { CallStore } from '@legwork/call-state';
import type { OriginateEndpoint } from '@legwork/contracts';
import { parseUri, serializeUri, targetOfUri } from '@legwork/sip';
import type { DevicePush } from '../push/push.types';
import { formatNumber, normalizeE164, type NumberPlan } from '../routing/e164';
import { escapeUser } from '../routing/sip-user';
import { contactsWithOwners, type ContactLookup, type EndpointContact, withRequestUser } from './endpoint-contacts';
import type { RouteResolution } from './route-resolver';

/** One INVITE to send for an endpoint (an AOR with several contacts yields several). */
export interface EndpointLeg extends EndpointContact {
  aor?: string;
  /** The public number this leg dials (a carrier route, or a direct URI whose user is one). */
  dialledNumber?: string;
  /** No live binding, but the device can be woken by this push (RFC 8599): target and Request-URI are its AOR's until it registers. */
  push?: DevicePush & { requestUser?: string };
}

export type LegsOrFailure = { legs: EndpointLeg[] } | { cause: string; reason: string };

export interface LegContext {
  calls: CallStore;
  contactsFor: ContactLookup;
  plan: NumberPlan;
  nodeId: string;
  /** Realm when the endpoint names none (the account's). */
  realm: string;
  route(route: string): Promise<RouteResolution>;
}

function safeDecode(user: string): string | undefined {
  try {
    return decodeURIComponent(user);
  } catch {
    return undefined;
  }
}

function direct(uri: string, plan: NumberPlan): LegsOrFailure {
  try {
    const parsed = parseUri(uri.trim().replace(/^<(.*)>$/, '$1'));
    // what goes on the wire is our serialization of the parsed URI, never the text as given
    const user = parsed.kind === 'sip' && parsed.user !== undefined ? safeDecode(parsed.user) : undefined;
    const dialled = user !== undefined ? normalizeE164(user, plan) : undefined;
    return { legs: [{ requestUri: serializeUri(parsed), target: targetOfUri(parsed), ...(dialled !== undefined ? { dialledNumber: dialled } : {}) }] };
  } catch (err) {
    return { cause: 'INVALID_NUMBER_FORMAT', reason: `cannot route to "${uri}": ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The AOR's contacts; with none, a push leg when the device can be woken: the push parameters of its last binding
 * (the freshest token), else its directory settings; `false`: the device refuses calls by push.
 */
async function registered(ctx: LegContext, user: string, realm: string, push?: DevicePush | false): Promise<LegsOrFailure> {
  const aor = `${user}@${realm.toLowerCase()}`;
  const contacts = await contactsWithOwners(aor, ctx.nodeId, ctx.contactsFor, ctx.calls);
  const wake = contacts.length === 0 && push !== false ? ((await ctx.calls.registrations.lastPush(aor)) ?? push) : undefined;
  if (wake !== undefined) return { legs: [pushLeg(aor, user, realm.toLowerCase(), wake)] };
  if (contacts.length === 0) return { cause: 'DESTINATION_OUT_OF_ORDER', reason: `${aor} is not registered` };
  return { legs: contacts.map((c) => ({ ...c, aor })) };
}

async function viaRoute(ctx: LegContext, route: string): Promise<LegsOrFailure> {
  const found = await ctx.route(route);
  if (found.failure !== undefined) return found.failure;
  return { legs: found.targets.map((t) => ({ requestUri: t.requestUri, target: t.target, ...(t.kind === 'carrier' && t.number !== undefined ? { dialledNumber: t.number } : {}) })) };
}

/** A device to wake: addressed by its AOR until its REGISTER gives a contact (the AOR's host is never dialled). */
function pushLeg(aor: string, user: string, realm: string, push: DevicePush): EndpointLeg {
  const requestUri = `sip:${escapeUser(user)}@${realm}`;
  return { requestUri, target: { protocol: 'udp', host: realm, port: 5060 }, aor, push };
}

/** Kazoo's Invite-Format semantics: which contacts to ring and what their Request-URI says; `push`: the device's, when it can be woken. */
export async function endpointLegs(ctx: LegContext, ep: OriginateEndpoint, push?: DevicePush | false): Promise<LegsOrFailure> {
  const format = ep['Invite-Format'];
  const user = ep['To-Username'] ?? ep['To-User'];
  const realm = ep['To-Realm'] ?? ctx.realm;
  switch (format) {
    case 'username':
      return user === undefined ? { cause: 'INVALID_NUMBER_FORMAT', reason: 'Invite-Format username needs To-Username or To-User' } : registered(ctx, user, realm, push);
    case 'contact':
      if (ep['To-URI'] !== undefined) return direct(ep['To-URI'], ctx.plan);
      return user === undefined ? { cause: 'INVALID_NUMBER_FORMAT', reason: 'Invite-Format contact needs To-URI or To-User' } : registered(ctx, user, realm, push);
    case 'route': {
      const route = ep.Route ?? ep['To-URI'];
      return route === undefined ? { cause: 'INVALID_NUMBER_FORMAT', reason: 'Invite-Format route needs Route or To-URI' } : direct(route, ctx.plan);
    }
    case 'loopback': {
      const route = ep.Route ?? ep['To-DID'];
      return route === undefined ? { cause: 'INVALID_NUMBER_FORMAT', reason: 'Invite-Format loopback needs Route or To-DID' } : viaRoute(ctx, route);
    }
    case 'e164':
    case 'npan':
    case '1npan':
    case 'strip_plus': {
      const number = ep['To-DID'] ?? ep['To-User'];
      if (number === undefined) return { cause: 'INVALID_NUMBER_FORMAT', reason: `Invite-Format ${format} needs To-DID or To-User` };
      const formatted = formatNumber(number, format, ctx.plan);
      // the device is the one registered as To-Username (or To-User when the number is in To-DID)
      const device = ep['To-Username'] ?? (ep['To-DID'] !== undefined ? ep['To-User'] : undefined);
      if (device === undefined) return viaRoute(ctx, formatted);
      const found = await registered(ctx, device, realm, push);
      if (!('legs' in found)) return found;
      return { legs: found.legs.map((leg) => ({ ...leg, requestUri: withRequestUser(leg.requestUri, formatted), ...(leg.push !== undefined ? { push: { ...leg.push, requestUser: formatted } } : {}) })) };
    }
    default:
      return { cause: 'INVALID_NUMBER_FORMAT', reason: `unknown Invite-Format "${String(format)}"` };
  }
}
