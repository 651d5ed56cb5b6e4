import type { SipRequest } from '../message/sip-message';
import { parseUri, type SipUri, type Uri } from '../message/sip-uri';
import type { SipVia } from '../message/sip-via';
import { resolveHost, stripBrackets } from './net-address';
import { SipTransportError } from './transport.error';
import type { SipProtocol, SipSource, SipTarget } from './transport.types';

const PROTOCOLS: ReadonlySet<string> = new Set(['udp', 'tcp', 'tls', 'ws', 'wss']);
const SECURE: Record<SipProtocol, SipProtocol> = { udp: 'tls', tcp: 'tls', tls: 'tls', ws: 'wss', wss: 'wss' };

export function defaultPort(protocol: SipProtocol): number {
  return protocol === 'tls' || protocol === 'wss' ? 5061 : 5060;
}

export function isSipProtocol(value: string): value is SipProtocol {
  return PROTOCOLS.has(value);
}

/** RFC 3263 §4.1 without SRV/NAPTR: transport= param, sips → TLS, default UDP; maddr overrides the host. */
export function targetOfUri(uri: Uri): SipTarget {
  if (uri.kind !== 'sip') throw new SipTransportError('unresolvable', `cannot route to a ${uri.scheme}: URI`);
  const param = uri.params.get('transport');
  const named = typeof param === 'string' ? param.toLowerCase() : undefined;
  if (named !== undefined && !isSipProtocol(named)) throw new SipTransportError('unsupported_protocol', `transport "${named}" is not supported`);
  let protocol: SipProtocol = named ?? (uri.scheme === 'sips' ? 'tls' : 'udp');
  if (uri.scheme === 'sips') protocol = SECURE[protocol];
  const maddr = uri.params.get('maddr');
  const host = stripBrackets(typeof maddr === 'string' && maddr.length > 0 ? maddr : uri.host);
  return { protocol, host, port: uri.port ?? defaultPort(protocol) };
}

function nextHopUri(request: SipRequest, outboundProxy: string | undefined): SipUri | Uri {
  if (outboundProxy !== undefined) return parseOrFail(outboundProxy, 'outbound proxy');
  const routes = request.getRoutes();
  if (!routes.ok) throw new SipTransportError('unresolvable', `unreadable Route header: ${routes.error.message}`);
  const top = routes.value[0];
  // a strict-routing top Route has already been swapped into the Request-URI by the dialog layer
  if (top !== undefined && top.uri.kind === 'sip' && top.uri.params.has('lr')) return top.uri;
  const ruri = request.getRequestUri();
  if (!ruri.ok) throw new SipTransportError('unresolvable', `unreadable Request-URI: ${ruri.error.message}`);
  return ruri.value;
}

function parseOrFail(text: string, what: string): Uri {
  try {
    return parseUri(text.trim().replace(/^<(.*)>$/, '$1'));
  } catch (err) {
    throw new SipTransportError('unresolvable', `bad ${what} URI "${text}"`, { cause: err instanceof Error ? err.message : String(err) });
  }
}

/** Outbound proxy, else a loose-routing top Route, else the Request-URI; hostnames through dns.lookup. */
export async function resolveRequestTarget(request: SipRequest, outboundProxy?: string): Promise<SipTarget> {
  const target = targetOfUri(nextHopUri(request, outboundProxy));
  return { ...target, host: await resolveHost(target.host) };
}

/**
 * RFC 3261 §18.2.2 (with RFC 3581): where a response goes when it cannot use the request's connection.
 * UDP: received (else sent-by host) and rport (else sent-by port); streams: received or sent-by host, sent-by port.
 */
export function responseDestination(via: SipVia | undefined, source: SipSource): SipTarget {
  const protocol = source.protocol;
  if (via === undefined) return { protocol, host: source.remoteAddress, port: source.remotePort };
  const host = stripBrackets(via.received ?? via.host);
  const rport = via.rport;
  const port = protocol === 'udp' && typeof rport === 'number' && Number.isInteger(rport) && rport > 0 ? rport : (via.port ?? defaultPort(protocol));
  return { protocol, host, port };
}
