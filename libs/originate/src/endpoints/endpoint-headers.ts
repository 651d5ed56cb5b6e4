import { headerNameProblem, headerValueProblem, type OriginateEndpoint, type OriginateRequest } from '@legwork/contracts';

// Headers the UA core owns (overriding them would corrupt the transaction or dialog), and identity headers: the
// caller id a leg presents comes from the checked caller-id fields, never from a requester's raw header.
const RESERVED = new Set([
  'via', 'v', 'call-id', 'i', 'cseq', 'from', 'f', 'to', 't', 'contact', 'm', 'max-forwards', 'content-length', 'l', 'content-type', 'c', 'route', 'record-route',
  'p-asserted-identity', 'p-preferred-identity', 'remote-party-id',
]);

type HeaderBag = Record<string, string | number> | undefined;

/** Request-wide Custom-SIP-Headers overlaid by the endpoint's own (same name, case-insensitive: endpoint wins). */
export function customHeaders(req: OriginateRequest, endpoint: OriginateEndpoint): Array<[string, string]> {
  const merged = new Map<string, [string, string]>();
  const add = (bag: HeaderBag) => {
    for (const [name, value] of Object.entries(bag ?? {})) {
      const trimmed = name.trim();
      const text = String(value);
      // the contracts refuse these where the request enters; this keeps any other path off the wire too
      if (headerNameProblem(trimmed) !== undefined || headerValueProblem(text) !== undefined || RESERVED.has(trimmed.toLowerCase())) continue;
      merged.set(trimmed.toLowerCase(), [trimmed, text]);
    }
  };
  add(req['Custom-SIP-Headers']);
  add(endpoint['Custom-SIP-Headers']);
  return [...merged.values()];
}
