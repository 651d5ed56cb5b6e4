import type { Logger } from '@legwork/common';
import type { NodeRegistry } from '@legwork/call-state';

/** Three beats of it are the TTL: a dead node is known within 6 s. */
export const HEARTBEAT_INTERVAL_DEFAULT_MS = 2000;

export interface NodeHeartbeatOptions {
  nodes: NodeRegistry;
  nodeId: string;
  info: Record<string, string>;
  logger: Logger;
  /** Default HEARTBEAT_INTERVAL_DEFAULT_MS; the TTL defaults to three intervals so one missed beat is not fatal. */
  intervalMs?: number;
  ttlMs?: number;
}

export interface NodeHeartbeat {
  /** Stops beating and removes the node from the registry (graceful shutdown). */
  stop(): Promise<void>;
}

/** Registers this media node and keeps its registry entry alive until stopped. */
export async function startNodeHeartbeat(options: NodeHeartbeatOptions): Promise<NodeHeartbeat> {
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_DEFAULT_MS;
  const ttlMs = options.ttlMs ?? intervalMs * 3;
  const { nodes, nodeId, info, logger } = options;
  await nodes.heartbeat(nodeId, ttlMs, info);
  logger.info({ nodeId, ttlMs }, 'registered in node registry');
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = nodes.heartbeat(nodeId, ttlMs, info).catch((err: unknown) => {
      // A missed beat is survivable; the TTL covers a few of them.
      logger.warn({ err, nodeId }, 'node heartbeat failed');
    });
  }, intervalMs);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await beating;
        await nodes.forget(nodeId);
        logger.info({ nodeId }, 'left node registry');
      })();
      return stopping;
    },
  };
}
