import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { OriginateRequest } from '@legwork/contracts';
import type { EndpointResolution, EndpointResolver } from '../engine/originate.types';

export interface ForwardLookup {
  calls: CallStore;
  nodeId: string;
  logger: Logger;
  /** Without it only Existing-Call-ID decides. */
  resolver?: EndpointResolver;
}

/** Where a request runs, and the endpoint resolution made to decide it (reused when it runs here). */
export interface ForwardDecision {
  /** The live node that must run it instead of us; undefined = run here. */
  node: string | undefined;
  resolved?: EndpointResolution;
}

/**
 * The live node that must run this request instead of us: the owner of its Existing-Call-ID, or, when
 * none of its endpoints is reachable from here, the node holding their connection. Undefined = run here.
 */
export async function forwardTarget(req: OriginateRequest, accountId: string, look: ForwardLookup): Promise<string | undefined> {
  return (await forwardDecision(req, accountId, look)).node;
}

/** forwardTarget, keeping the endpoint resolution it made. */
export async function forwardDecision(req: OriginateRequest, accountId: string, look: ForwardLookup): Promise<ForwardDecision> {
  const { calls, nodeId } = look;
  const existing = req['Existing-Call-ID'];
  if (existing !== undefined) {
    const record = await calls.calls.get(existing);
    if (record !== null && record.state !== 'ended' && record.nodeId !== nodeId && (await calls.nodes.isLive(record.nodeId))) return { node: record.nodeId };
    if (record !== null && record.nodeId === nodeId) return { node: undefined };
  }
  if (look.resolver === undefined) return { node: undefined };
  let resolved: EndpointResolution;
  try {
    resolved = await look.resolver.resolve(req, accountId, nodeId);
  } catch (err) {
    // resolution errors surface again, properly reported, when the engine runs the request here
    look.logger.warn({ err }, 'originate: pre-resolution for forwarding failed');
    return { node: undefined };
  }
  const { endpoints } = resolved;
  if (endpoints.some((e) => e.ownerNode === undefined || e.ownerNode === nodeId)) return { node: undefined, resolved };
  const owners = [...new Set(endpoints.map((e) => e.ownerNode).filter((n): n is string => n !== undefined))];
  for (const owner of owners) if (await calls.nodes.isLive(owner)) return { node: owner };
  return { node: undefined, resolved };
}
