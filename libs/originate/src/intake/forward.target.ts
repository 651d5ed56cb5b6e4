import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { OriginateRequest } from '@legwork/contracts';
import type { EndpointResolver } from '../engine/originate.types';

export interface ForwardLookup {
  calls: CallStore;
  nodeId: string;
  logger: Logger;
  /** Without it only Existing-Call-ID decides. */
  resolver?: EndpointResolver;
}

/**
 * The live node that must run this request instead of us: the owner of its Existing-Call-ID, or, when
 * none of its endpoints is reachable from here, the node holding their connection. Undefined = run here.
 */
export async function forwardTarget(req: OriginateRequest, accountId: string, look: ForwardLookup): Promise<string | undefined> {
  const { calls, nodeId } = look;
  const existing = req['Existing-Call-ID'];
  if (existing !== undefined) {
    const record = await calls.calls.get(existing);
    if (record !== null && record.state !== 'ended' && record.nodeId !== nodeId && (await calls.nodes.isLive(record.nodeId))) return record.nodeId;
    if (record !== null && record.nodeId === nodeId) return undefined;
  }
  if (look.resolver === undefined) return undefined;
  let owners: string[];
  try {
    const { endpoints } = await look.resolver.resolve(req, accountId, nodeId);
    if (endpoints.some((e) => e.ownerNode === undefined || e.ownerNode === nodeId)) return undefined;
    owners = [...new Set(endpoints.map((e) => e.ownerNode).filter((n): n is string => n !== undefined))];
  } catch (err) {
    // resolution errors surface again, properly reported, when the engine runs the request here
    look.logger.warn({ err }, 'originate: pre-resolution for forwarding failed');
    return undefined;
  }
  for (const owner of owners) if (await calls.nodes.isLive(owner)) return owner;
  return undefined;
}
