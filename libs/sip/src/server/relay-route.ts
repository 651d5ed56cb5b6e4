import { createHmac } from 'node:crypto';
import type { Uri } from '../message/sip-uri';
import type { SipProtocol } from '../transport/transport.types';
import { parseHostPort } from './binding-target';

/** A route through the node holding a device's flow, for one call: signed by the cluster key so nobody else can use it. */
export interface RelayRoute {
  /** The flow token of the device's connection on the relaying node. */
  flowId: string;
  /** Its protocol (the Via of the hop over it). */
  protocol: SipProtocol;
  /** The node that asked (UDP): the only place the device's requests on this route are sent to. */
  peer: { host: string; port: number };
  sig: string;
}

const STREAMS = new Set<SipProtocol>(['tcp', 'tls', 'ws', 'wss']);
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

const hostPort = (p: { host: string; port: number }): string => (p.host.includes(':') ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`);

export function relaySignature(secret: string, r: Omit<RelayRoute, 'sig'> & { callId: string }): string {
  return createHmac('sha256', secret).update(`relay|${r.callId}|${r.flowId}|${r.protocol}|${hostPort(r.peer)}`).digest('base64url');
}

/** `<sip:relay-host:port;lr;...>`: the Route the asking node puts on its INVITE (and the relay copies into Record-Route). */
export function relayRouteHeader(secret: string, relay: { host: string; port: number }, r: Omit<RelayRoute, 'sig'> & { callId: string }): string {
  const sig = relaySignature(secret, r);
  return `<sip:${hostPort(relay)};lr;lw-flow=${r.flowId};lw-tp=${r.protocol};lw-peer=${hostPort(r.peer)};lw-sig=${sig}>`;
}

/** The relay route a URI names, undefined when it is none (or a malformed one). */
export function parseRelayRoute(uri: Uri): RelayRoute | undefined {
  if (uri.kind !== 'sip') return undefined;
  const flowId = uri.params.get('lw-flow') ?? undefined;
  const protocol = uri.params.get('lw-tp') ?? undefined;
  const peer = parseHostPort(uri.params.get('lw-peer') ?? undefined);
  const sig = uri.params.get('lw-sig') ?? undefined;
  if (flowId === undefined || !TOKEN.test(flowId) || protocol === undefined || !STREAMS.has(protocol as SipProtocol) || peer === undefined || sig === undefined) return undefined;
  return { flowId, protocol: protocol as SipProtocol, peer, sig };
}
