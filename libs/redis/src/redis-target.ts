import { z } from 'zod';
import { RedisTargetError } from './redis.errors';
import { isSentinelUrl, parseSentinelUrl } from './redis-sentinel-url';

export interface RedisNode {
  host: string;
  port: number;
}

/** Where a store keeps its keys: one Redis (or a Sentinel-managed primary) by URL, or a Redis Cluster by seed nodes. */
export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; nodes: RedisNode[] };

/** What is wrong with a REDIS_URL (redis://, rediss:// or redis-sentinel://), or undefined when it is usable. */
export function redisUrlProblem(url: string): string | undefined {
  if (isSentinelUrl(url)) {
    const parsed = parseSentinelUrl(url);
    return 'problem' in parsed ? parsed.problem : undefined;
  }
  if (!/^rediss?:\/\//.test(url)) return 'must be a redis://, rediss:// or redis-sentinel:// URL';
  return URL.canParse(url) ? undefined : 'is not a valid URL';
}

/** A config field for `REDIS_URL`: one Redis, or a Sentinel-managed primary (`redis-sentinel://…`). */
export const redisUrlSchema = z.string().superRefine((value, ctx) => {
  const problem = redisUrlProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const NODE_PATTERN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/** `host:port[,host:port…]` (IPv6 hosts in brackets) → nodes, or what is wrong with the list. */
export function parseClusterNodes(value: string): { nodes: RedisNode[] } | { problem: string } {
  const entries = value.split(',').map((entry) => entry.trim());
  const nodes: RedisNode[] = [];
  for (const entry of entries) {
    const match = NODE_PATTERN.exec(entry);
    const port = match === null ? NaN : Number(match[2]);
    if (match === null || port < 1 || port > 65535) {
      return { problem: `"${entry}" is not host:port (a comma-separated list of host:port, port 1-65535)` };
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  return { nodes };
}

/** A config field for `REDIS_CLUSTER_NODES`: the raw list in, the seed nodes out. */
export const redisClusterNodesSchema = z.string().transform((value, ctx): RedisNode[] => {
  const parsed = parseClusterNodes(value);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }
  return parsed.nodes;
});

/** The target a store's options name: `url`, `clusterNodes`, or neither (the store then stays in process). */
export function redisTargetOf(opts: { url?: string | undefined; clusterNodes?: readonly RedisNode[] | undefined }): RedisTarget | undefined {
  const { url, clusterNodes } = opts;
  if (url !== undefined && clusterNodes !== undefined) {
    throw new RedisTargetError('invalid_target', 'set either a Redis URL or Redis Cluster nodes, not both', { field: 'clusterNodes' });
  }
  if (url !== undefined) {
    const problem = redisUrlProblem(url);
    if (problem !== undefined) throw new RedisTargetError('invalid_target', `url: ${problem}`, { field: 'url' });
    return { kind: 'single', url };
  }
  if (clusterNodes === undefined) return undefined;
  if (clusterNodes.length === 0) throw new RedisTargetError('invalid_target', 'clusterNodes: needs at least one host:port', { field: 'clusterNodes' });
  for (const node of clusterNodes) {
    if (!Number.isInteger(node.port) || node.port < 1 || node.port > 65535 || node.host === '') {
      throw new RedisTargetError('invalid_target', `clusterNodes: ${node.host}:${node.port} is not a host and a port 1-65535`, { field: 'clusterNodes' });
    }
  }
  return { kind: 'cluster', nodes: clusterNodes.map((node) => ({ host: node.host, port: node.port })) };
}

/** For logs and banners: the URL without its password, or the seed nodes. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'cluster') return `cluster ${target.nodes.map((node) => `${node.host}:${node.port}`).join(',')}`;
  return target.url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
