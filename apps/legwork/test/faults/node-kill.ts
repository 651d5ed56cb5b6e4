import { waitFor } from '@legwork/common/testing';
import type { NodeProcess } from '../node-process';
import type { BusWatch } from './bus-watch';

/** The bound: a dead node's calls end with CHANNEL_DESTROY within this long of its death. */
export const NODE_DEATH_BOUND_MS = 10_000;

interface NodeCalls {
  listByNode(nodeId: string): Promise<ReadonlyArray<{ callId: string }>>;
}

export interface NodeKill {
  /** The call ids (one per leg) the node held when it was killed. */
  onKilled: string[];
  killedAt: number;
  destroyedWithinMs: number;
}

/** Waits until `node` holds `atLeast` legs, SIGKILLs it, then waits, within the bound, for a CHANNEL_DESTROY of each of them. */
export async function killWithCallsUp(node: { nodeId: string; proc: NodeProcess }, calls: NodeCalls, bus: BusWatch, output: () => string, atLeast = 6): Promise<NodeKill> {
  await waitFor(async () => (await calls.listByNode(node.nodeId)).length >= atLeast, { message: () => `calls up on ${node.nodeId}\n${output()}`, timeoutMs: 60_000, intervalMs: 200 });
  const onKilled = (await calls.listByNode(node.nodeId)).map((c) => c.callId);
  const killedAt = Date.now();
  node.proc.child.kill('SIGKILL');
  await node.proc.exited;
  const missing = (): string[] => onKilled.filter((id) => bus.of(id, 'CHANNEL_DESTROY').length === 0);
  await waitFor(() => missing().length === 0, {
    message: () => `CHANNEL_DESTROY of every leg of the killed node: missing ${missing().join(', ')}`,
    timeoutMs: Math.max(1, NODE_DEATH_BOUND_MS - (Date.now() - killedAt)),
    intervalMs: 100,
  });
  return { onKilled, killedAt, destroyedWithinMs: Date.now() - killedAt };
}
