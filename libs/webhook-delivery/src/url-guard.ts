import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Loopback, private, link-local, CGNAT, unique-local v6, multicast and reserved ranges. */
const BLOCKED_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'];
const BLOCKED_V6 = ['::/127', 'fc00::/7', 'fe80::/10', 'ff00::/8', '64:ff9b::/96', '2001:db8::/32'];

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** Decides whether a webhook URL may be called: public addresses, or what WEBHOOK_ALLOWED_HOSTS names. */
export class UrlGuard {
  private readonly blocked = new BlockList();
  private readonly allowedNets = new BlockList();
  private readonly allowedNames = new Set<string>();

  constructor(allowedHosts: string[] = []) {
    for (const cidr of BLOCKED_V4) this.addSubnet(this.blocked, cidr);
    for (const cidr of BLOCKED_V6) this.addSubnet(this.blocked, cidr);
    for (const entry of allowedHosts.map((h) => h.trim().toLowerCase())) {
      if (entry.includes('/')) this.addSubnet(this.allowedNets, entry);
      else if (isIP(entry)) this.allowedNets.addAddress(entry, isIP(entry) === 6 ? 'ipv6' : 'ipv4');
      else this.allowedNames.add(entry);
    }
  }

  /** Parses, resolves and checks every address the host resolves to. */
  async check(uri: string): Promise<UrlVerdict> {
    if (!URL.canParse(uri)) return { ok: false, reason: 'must be an http(s) URL' };
    const url = new URL(uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must be an http(s) URL' };
    if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry credentials' };
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.allowedNames.has(host)) return { ok: true, url };
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return { ok: false, reason: `host ${host} does not resolve` };
    }
    const refused = addresses.find((a) => !this.addressAllowed(a));
    return refused === undefined ? { ok: true, url } : { ok: false, reason: `${host} resolves to a private or reserved address (${refused}); allow it in WEBHOOK_ALLOWED_HOSTS` };
  }

  /** Whether check() decided on the URL's text alone (an address, or a host allowed by name): no DNS answer involved. */
  needsNoLookup(url: URL): boolean {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return isIP(host) !== 0 || this.allowedNames.has(host);
  }

  addressAllowed(address: string, host?: string): boolean {
    if (host !== undefined && this.allowedNames.has(host.toLowerCase())) return true;
    const v4 = mappedV4(address);
    const [addr, type] = v4 !== undefined ? [v4, 'ipv4' as const] : [address, isIP(address) === 6 ? ('ipv6' as const) : ('ipv4' as const)];
    if (this.allowedNets.check(addr, type)) return true;
    return !this.blocked.check(addr, type);
  }

  /** A `lookup` for sockets: refuses at connect time what DNS answers now (defeats rebinding). */
  readonly lookup = (hostname: string, options: LookupOptions, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = addresses.find((a) => !this.addressAllowed(a.address, hostname));
      if (refused) return callback(new Error(`${hostname} resolves to a refused address ${refused.address}`), []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return first ? callback(null, first.address, first.family) : callback(new Error(`${hostname} has no address`), []);
    });
  };

  private addSubnet(list: BlockList, cidr: string): void {
    const [net = '', bits = ''] = cidr.split('/');
    const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(net, Number(bits), type);
  }
}

function mappedV4(address: string): string | undefined {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1];
}
