import type { Contact } from '@legwork/call-state';
import { parseUri } from '../message/sip-uri';
import { targetOfUri } from '../transport/target-resolver';
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

function ofContactUri(contact: Contact): SipTarget | undefined {
  try {
    return targetOfUri(parseUri(contact.uri));
  } catch {
    return undefined;
  }
}

/**
 * Where to send a request for this binding (RFC 5626 §5.3 / RFC 3581 spirit): over its own flow when this
 * node holds it, to the UDP source it registered from (NAT pinhole), else to its Contact URI.
 * Undefined when only another node (or nobody) can reach it: a WebSocket client cannot be dialled.
 */
export function targetForBinding(contact: Contact, here: FlowView): SipTarget | undefined {
  const source = parseHostPort(contact.source);
  const stream = contact.transport !== 'udp';
  if (stream && contact.flowToken !== undefined && contact.nodeId === here.nodeId && here.holds(contact.flowToken) && source !== undefined) {
    return { protocol: contact.transport, host: source.host, port: source.port, flowId: contact.flowToken };
  }
  if (contact.transport === 'ws' || contact.transport === 'wss') return undefined;
  // an outbound (reg-id) binding is only reachable through its flow
  if (stream && contact.regId !== undefined && contact.flowToken !== undefined) return undefined;
  if (contact.transport === 'udp' && source !== undefined) return { protocol: 'udp', host: source.host, port: source.port };
  return ofContactUri(contact);
}
