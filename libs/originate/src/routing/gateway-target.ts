import type { SipProtocol, SipTarget } from '@legwork/sip';
import { RoutingError } from './routing.error';

const SERVER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

/** A carrier gateway `server` ("host" or "host:port", IPv6 in brackets) as a place to send to. */
export function gatewayTarget(server: string, protocol: SipProtocol = 'udp'): SipTarget {
  const match = SERVER.exec(server.trim());
  const port = match?.[2] === undefined ? (protocol === 'tls' || protocol === 'wss' ? 5061 : 5060) : Number(match[2]);
  if (match === null || port < 1 || port > 65535) throw new RoutingError('invalid_gateway', `gateway server "${server}" is not host or host:port`, { server });
  return { protocol, host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** The Request-URI host part for a target (brackets around IPv6). */
export function hostPort(target: SipTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}
