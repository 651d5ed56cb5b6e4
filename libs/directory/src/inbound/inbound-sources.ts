import { BlockList, isIP } from 'node:net';

/** One source entry read: an address and its prefix length (a single IP is a full-length block). */
export interface InboundSource {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

// the address an IPv4-mapped IPv6 peer (`::ffff:1.2.3.4`) really has, and IPv6 literals without brackets
const bare = (address: string): string => address.trim().replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** `203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`; undefined for anything else. */
export function parseInboundSource(text: string): InboundSource | undefined {
  const [addr = '', len, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(addr);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return undefined;
  const prefix = len === undefined ? max : Number(len);
  if (prefix > max) return undefined;
  return { address: addr, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether a peer address lies in any of the sources; entries that do not read never match. */
export function sourceMatches(sources: readonly string[], peer: string): boolean {
  const address = bare(peer);
  const version = isIP(address);
  if (version === 0 || sources.length === 0) return false;
  const list = new BlockList();
  for (const text of sources) {
    const s = parseInboundSource(text);
    if (s !== undefined) list.addSubnet(s.address, s.prefix, s.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
