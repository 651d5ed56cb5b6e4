import type { CallStore, Contact } from '@legwork/call-state';
import { parseUri, requestUriForBinding, serializeUri, type SipTarget, targetOfUri } from '@legwork/sip';
import { escapeUser } from '../routing/sip-user';

/** One place an AOR can be rung from this node (or, with ownerNode, only from that node). */
export interface EndpointContact {
  target: SipTarget;
  requestUri: string;
  ownerNode?: string;
}

/** The AOR's live contacts reachable from here; the SIP server's contactsFor adapted by contactsFromSipServer. */
export interface ContactLookup {
  (aor: string): Promise<EndpointContact[]>;
  /** The same contacts, told from the AOR's bindings already read from the call store (no second read). */
  reachableOf?: (bindings: readonly Contact[]) => EndpointContact[];
}

interface ReachableSource {
  contactsFor(aor: string): Promise<Array<{ contact: { uri: string }; target: SipTarget }>>;
  /** Where a request for this binding goes from here; undefined when unreachable (what contactsFor filters by). */
  targetForBinding?(contact: Contact): SipTarget | undefined;
}

/** Adapts the SIP server to a ContactLookup; the Request-URI is the Contact URI without headers, maddr, ttl or method. */
export function contactsFromSipServer(server: ReachableSource): ContactLookup {
  const lookup: ContactLookup = async (aor) =>
    (await server.contactsFor(aor)).flatMap(({ contact, target }) => {
      const requestUri = requestUriForBinding(contact.uri);
      return requestUri === undefined ? [] : [{ target, requestUri }];
    });
  // the server reads the bindings from the same call store: the ones a resolution lists already say what it would
  if (server.targetForBinding !== undefined) {
    lookup.reachableOf = (bindings) =>
      bindings.flatMap((contact) => {
        const target = server.targetForBinding?.(contact);
        const requestUri = requestUriForBinding(contact.uri);
        return target === undefined || requestUri === undefined ? [] : [{ target, requestUri }];
      });
  }
  return lookup;
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
  let reachable: EndpointContact[];
  let bindings: Contact[];
  if (lookup.reachableOf !== undefined) {
    bindings = await calls.registrations.list(aor);
    reachable = lookup.reachableOf(bindings);
  } else [reachable, bindings] = await Promise.all([lookup(aor), calls.registrations.list(aor)]);
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
