import { tryUserPattern } from '@legwork/common';
import { credentialProblem, sipHostProblem } from '@legwork/contracts';
import type { Gateway, Resource } from '@legwork/directory';
import type { RouteTarget } from '../engine/originate.types';
import { gatewayTarget, hostPort } from './gateway-target';
import { escapeUser } from './sip-user';

/**
 * Kazoo semantics: the first matching rule's first capture group is what the carrier gets, else the whole number.
 * Rules are user-supplied: they run on RE2 (compiled once, cached); a stored rule RE2 refuses matches nothing.
 */
export function dialledNumber(rules: string[], e164: string): string | undefined {
  for (const rule of rules) {
    const match = tryUserPattern(rule)?.exec(e164) ?? null;
    if (match !== null) return match[1] ?? match[0];
  }
  return undefined;
}

function gatewayRoute(resource: Resource, gateway: Gateway, number: string): RouteTarget {
  const target = gatewayTarget(gateway.server);
  const user = `${gateway.prefix}${number}${gateway.suffix}`;
  const route: RouteTarget = {
    kind: 'carrier',
    requestUri: `sip:${escapeUser(user)}@${hostPort(target)}`,
    target,
    headers: [],
    resourceId: resource.id,
  };
  if (gateway.username !== undefined && gateway.password !== undefined) {
    route.credentials = { username: gateway.username, password: gateway.password, ...(gateway.realm !== undefined ? { realm: gateway.realm } : {}) };
  }
  return route;
}

/** Trunk credentials go into a quoted-string of the Authorization header: a gateway stored before they were validated is skipped. */
function credentialsSafe(gateway: Gateway): boolean {
  return (gateway.username === undefined || credentialProblem(gateway.username) === undefined) && (gateway.realm === undefined || sipHostProblem(gateway.realm) === undefined);
}

/** Every enabled gateway of the matched resources, in the resources' order (cheapest first), then gateway order. */
export function carrierRoutes(resources: Resource[], e164: string): RouteTarget[] {
  return resources.flatMap((resource) => {
    if (!resource.enabled) return [];
    const number = dialledNumber(resource.rules, e164);
    if (number === undefined) return [];
    return resource.gateways.filter((g) => g.enabled && credentialsSafe(g)).map((g) => ({ ...gatewayRoute(resource, g, number), number: e164 }));
  });
}
