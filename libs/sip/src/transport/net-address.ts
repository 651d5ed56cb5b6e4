import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { SipTransportError } from './transport.error';

/** "::ffff:1.2.3.4" → "1.2.3.4" so dual-stack sockets report the address peers put in Vias. */
export function normalizeAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** IP literals pass through; hostnames go through the OS resolver (no SRV/NAPTR). */
export async function resolveHost(host: string): Promise<string> {
  const bare = stripBrackets(host);
  if (isIP(bare) !== 0) return bare;
  try {
    return (await lookup(bare)).address;
  } catch (err) {
    throw new SipTransportError('unresolvable', `cannot resolve host "${bare}"`, { cause: err instanceof Error ? err.message : String(err) });
  }
}
