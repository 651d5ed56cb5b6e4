import type { CallStore } from '@legwork/call-state';
import { parseUri, serializeUri, type SipTarget, targetOfUri } from '@legwork/sip';
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

/** Adapts the SIP server (its Request-URI is the binding's Contact URI) to a ContactLookup. */
export function contactsFromSipServer(server: ReachableSource): ContactLookup {
  return async (aor) => (await server.contactsFor(aor)).map(({ contact, target }) => ({ target, requestUri: contact.uri }));
}

function uriTarget(uri: string): SipTarget | undefined {
  try {
    return targetOfUri(parseUri(uri));
  } catch {
    return undefined;
  }
}

/**
 * Reachable contacts plus the stream-flow bindings only another node can reach (marked with ownerNode,
 * so the request can be handed to that node); duplicates by Request-URI are dropped.
 */
export async function contactsWithOwners(aor: string, nodeId: string, lookup: ContactLookup, calls: CallStore): Promise<EndpointContact[]> {
  const reachable = await lookup(aor);
  const seen = new Set(reachable.map((c) => c.requestUri));
  const elsewhere: EndpointContact[] = [];
  for (const binding of await calls.registrations.list(aor)) {
    if (seen.has(binding.uri) || binding.nodeId === nodeId || binding.transport === 'udp') continue;
    const target = uriTarget(binding.uri);
    if (target === undefined) continue;
    seen.add(binding.uri);
    elsewhere.push({ target, requestUri: binding.uri, ownerNode: binding.nodeId });
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
