import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { MediaNodeConfig } from './media-node.config';
import { MediaNodeModule } from './media-node.module';
import { startNodeHeartbeat, type NodeHeartbeat } from './node-heartbeat';

/** Starts the media-node app on HOST:MEDIA_NODE_HTTP_PORT and announces it in the node registry. */
export async function bootstrapMediaNode(ctx: AppContext<MediaNodeConfig>): Promise<AppHandle> {
  const app = await runApp({
    name: 'media-node',
    module: MediaNodeModule.forRoot(ctx),
    host: ctx.config.HOST,
    port: ctx.config.MEDIA_NODE_HTTP_PORT,
    logger: ctx.logger,
  });
  let heartbeat: NodeHeartbeat;
  try {
    heartbeat = await startNodeHeartbeat({
      nodes: ctx.infra.calls.nodes,
      nodeId: ctx.config.NODE_ID,
      info: { app: 'media-node', http: app.url, serverId: ctx.infra.bus.serverId },
      logger: ctx.logger,
    });
  } catch (err) {
    await app.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    name: app.name,
    url: app.url,
    close() {
      // Leave the registry first so no new work is routed here while the server drains.
      closing ??= heartbeat.stop().finally(() => app.close());
      return closing;
    },
  };
}
