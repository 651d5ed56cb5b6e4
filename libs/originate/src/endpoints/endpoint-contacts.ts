import type { CallStore } from '@legwork/call-state';
import { parseUri, requestUriForBinding, serializeUri, type SipTarget, targetOfUri } from '@legwork/sip';
import { escapeUser } from '../routing/sip-user';

/** One place an AOR can be rung from this node (or, with ownerNode, only from that node). */
export interface EndpointContact {
  target: SipTarget;
  requestUri: string;
  ownerNode?: string;
}

/** The AOR's live contacts reachable from here; the SIP server's contactsFor adapted by contactsFromSipServer. */
export type ContactLookup = (aor: string) => Promise<EndpointContact[]>;

interface ReachableSource {
  contactsFor(aor: string): Promise<Array<{ contact: { uri: string }; target: SipTarget }>>;
}

/** Adapts the SIP server to a ContactLookup; the Request-URI is the Contact URI without headers, maddr, ttl or method. */
export function contactsFromSipServer(server: ReachableSource): ContactLookup {
  return async (aor) =>
    (await server.contactsFor(aor)).flatMap(({ contact, target }) => {
      const requestUri = requestUriForBinding(contact.uri);
      return requestUri === undefined ? [] : [{ target, requestUri }];
    });
}

function uriTarget(uri: string): SipTarget | undefined {
  try {
    return targetOfUri(parseUri(uri));
  } catch {
    return undefined;
  }
}

/**
 * Reachable contacts plus the stream-flow bindings only another node can reach (marked with ownerNode, so the
 * request can be handed to that node, which alone may ring them); duplicates by Request-URI are dropped.
 */
export async function contactsWithOwners(aor: string, nodeId: string, lookup: ContactLookup, calls: CallStore): Promise<EndpointContact[]> {
  const [reachable, bindings] = await Promise.all([lookup(aor), calls.registrations.list(aor)]);
  const seen = new Set(reachable.map((c) => c.requestUri));
  const elsewhere: EndpointContact[] = [];
  for (const binding of bindings) {
    const requestUri = requestUriForBinding(binding.uri);
    if (requestUri === undefined || seen.has(requestUri) || binding.nodeId === nodeId || binding.transport === 'udp') continue;
    const target = uriTarget(requestUri);
    if (target === undefined) continue;
    seen.add(requestUri);
    elsewhere.push({ target, requestUri, ownerNode: binding.nodeId });
  }
  return [...reachable, ...elsewhere];
}

/** The Contact URI with its user part replaced (Invite-Format e164/npan/1npan/strip_plus). */
export function withRequestUser(requestUri: string, user: string): string {
  const uri = parseUri(requestUri);
  if (uri.kind !== 'sip') return requestUri;
  uri.user = escapeUser(user);
  return serializeUri(uri);
}
