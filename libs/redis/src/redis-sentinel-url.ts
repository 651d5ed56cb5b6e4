import { parseClusterNodes, type RedisNode } from './redis-target';

/** A Sentinel-managed primary: the sentinels to ask, the primary's name, and the credentials and db of the data nodes. */
export interface SentinelTarget {
  sentinels: RedisNode[];
  name: string;
  username?: string;
  password?: string;
  db: number;
}

export const SENTINEL_SCHEME = 'redis-sentinel://';

// Sentinel `monitor` names: letters, digits and . _ - (no spaces or control characters reach the SENTINEL command).
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function isSentinelUrl(url: string): boolean {
  return url.startsWith(SENTINEL_SCHEME);
}

/**
 * `redis-sentinel://[[user]:password@]host:port[,host:port…]/<primary name>[/<db>]` → the target, or what is wrong
 * with it. The WHATWG URL parser refuses a comma-separated host list, so this one reads it part by part.
 */
export function parseSentinelUrl(url: string): { target: SentinelTarget } | { problem: string } {
  if (!isSentinelUrl(url)) return { problem: `must start with ${SENTINEL_SCHEME}` };
  const rest = url.slice(SENTINEL_SCHEME.length);
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : undefined;
  const [hosts = '', name = '', db, ...extra] = rest.slice(at + 1).split('/');
  if (extra.length > 0) return { problem: 'has more path parts than /<primary name>[/<db>]' };
  // the same host:port list as REDIS_CLUSTER_NODES, read by the same parser
  const hostList = parseClusterNodes(hosts);
  if ('problem' in hostList) return { problem: `sentinel ${hostList.problem}` };
  const sentinels = hostList.nodes;
  if (!NAME_PATTERN.test(name)) return { problem: 'needs the primary name as its path (/<name>: letters, digits, . _ -, at most 64)' };
  if (db !== undefined && !/^(\d|1[0-5])$/.test(db)) return { problem: `db "${db}" is not 0-15` };
  const target: SentinelTarget = { sentinels, name, db: db === undefined ? 0 : Number(db) };
  if (auth !== undefined) {
    const colon = auth.indexOf(':');
    const username = decoded(colon >= 0 ? auth.slice(0, colon) : auth);
    const password = colon >= 0 ? decoded(auth.slice(colon + 1)) : '';
    if (username === undefined || password === undefined) return { problem: 'has a malformed %-escape in its user or password' };
    if (username !== '') target.username = username;
    if (password !== '') target.password = password;
  }
  return { target };
}

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
