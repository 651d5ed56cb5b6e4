import type { Contact } from '@legwork/call-state';
import { parseUri, serializeUri } from '../message/sip-uri';
import type { SipTarget } from '../transport/transport.types';

/** What this node knows about the connections it holds. */
export interface FlowView {
  readonly nodeId: string;
  holds(flowId: string): boolean;
}

/** "host:port" or "[v6]:port" as the registrar stores a binding's source. */
export function parseHostPort(text: string | undefined): { host: string; port: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text);
  if (match === null) return undefined;
  const port = Number(match[2]);
  return port > 0 && port <= 65535 ? { host: match[1], port } : undefined;
}

/** URI parameters of a registered Contact that would redirect or re-purpose a request sent to it. */
const REDIRECTING_PARAMS = ['maddr', 'ttl', 'method'];

/**
 * The Request-URI for a request to this binding: its Contact URI without URI headers (never allowed in a
 * Request-URI, RFC 3261 §19.1.5: `?Route=` would smuggle headers in) and without maddr/ttl/method.
 * Undefined for a Contact that is not a SIP URI.
 */
export function requestUriForBinding(uri: string): string | undefined {
  let parsed;
  try {
    parsed = parseUri(uri);
  } catch {
    return undefined;
  }
  if (parsed.kind !== 'sip') return undefined;
  parsed.headers = [];
  for (const name of REDIRECTING_PARAMS) parsed.params.delete(name);
  return serializeUri(parsed);
}

/**
 * Where a request for this binding goes from this node: over its own stream flow when this node holds it,
 * else to the source address the registrar saw (RFC 3581 received/rport; for TCP/TLS a new connection to it).
 * Never to the host its Contact names: that would let a device make us connect anywhere.
 * Undefined when only the node holding its flow can reach it (WebSocket, outbound reg-id, a flow of another
 * node) or when no source was stored.
 */
export function targetForBinding(contact: Contact, here: FlowView): SipTarget | undefined {
  const source = parseHostPort(contact.source);
  if (source === undefined) return undefined;
  if (contact.transport === 'udp') return { protocol: 'udp', host: source.host, port: source.port };
  const flow = contact.flowToken;
  if (flow !== undefined && contact.nodeId === here.nodeId && here.holds(flow)) return { protocol: contact.transport, host: source.host, port: source.port, flowId: flow };
  if (contact.transport === 'ws' || contact.transport === 'wss') return undefined;
  // an outbound (reg-id) binding is defined by its flow; another node's flow is reached through that node
  if (flow !== undefined && (contact.regId !== undefined || contact.nodeId !== here.nodeId)) return undefined;
  return { protocol: contact.transport, host: source.host, port: source.port };
}
