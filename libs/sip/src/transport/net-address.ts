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

/** Expands an IPv6 address to its eight 16-bit groups (an embedded IPv4 tail counts as two); undefined when malformed. */
function ipv6Groups(address: string): number[] | undefined {
  const zone = address.indexOf('%');
  const bare = zone === -1 ? address : address.slice(0, zone);
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (isIP(group) === 4) {
        const [a, b, c, d] = group.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) out.push(parseInt(group, 16));
      else return undefined;
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * What per-source limits count by: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber's allocation, which it can fill with addresses at will).
 */
export function sourceKey(address: string): string {
  const plain = normalizeAddress(address);
  if (isIP(plain) !== 6) return plain;
  const groups = ipv6Groups(plain);
  if (groups === undefined) return plain;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}
