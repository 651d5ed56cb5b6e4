import type { OriginateEndpoint, OriginateRequest } from '@legwork/contracts';

// Headers the UA core owns: letting a request override them would corrupt the transaction or dialog.
const RESERVED = new Set(['via', 'v', 'call-id', 'i', 'cseq', 'from', 'f', 'to', 't', 'contact', 'm', 'max-forwards', 'content-length', 'l', 'content-type', 'c', 'route', 'record-route']);

type HeaderBag = Record<string, string | number> | undefined;

/** Request-wide Custom-SIP-Headers overlaid by the endpoint's own (same name, case-insensitive: endpoint wins). */
export function customHeaders(req: OriginateRequest, endpoint: OriginateEndpoint): Array<[string, string]> {
  const merged = new Map<string, [string, string]>();
  const add = (bag: HeaderBag) => {
    for (const [name, value] of Object.entries(bag ?? {})) {
      const trimmed = name.trim();
      if (!/^[A-Za-z0-9!%'*+\-.^_`|~]+$/.test(trimmed) || RESERVED.has(trimmed.toLowerCase())) continue;
      merged.set(trimmed.toLowerCase(), [trimmed, String(value).replace(/[\r\n]+/g, ' ')]);
    }
  };
  add(req['Custom-SIP-Headers']);
  add(endpoint['Custom-SIP-Headers']);
  return [...merged.values()];
}

