import { MEDIA_PROCESS_INFO } from '@legwork/call-state';
import { runApp, type AppContext, type AppHandle } from '@legwork/platform';
import type { SipServer } from '@legwork/sip';
import type { MediaNodeConfig } from './media-node.config';
import { MediaNodeModule } from './media-node.module';
import { MediaOriginateService } from './media-originate.service';
import { SIP_RELAY_INFO } from './media-push.config';
import { MediaSipService } from './media-sip.service';
import { startNodeHeartbeat, type NodeHeartbeat } from './node-heartbeat';
import { APP_NAME } from './app.identity';

export interface MediaNodeHandle extends AppHandle {
  /** The running SIP server (listen addresses, stack, registrar). */
  readonly sip: SipServer;
  /** The originate engine with its intake, call control and sweeper. */
  readonly originate: MediaOriginateService;
}

/** Starts the media-node app on HOST:MEDIA_NODE_HTTP_PORT with SIP, and announces it in the node registry. */
export async function bootstrapMediaNode(ctx: AppContext<MediaNodeConfig>): Promise<MediaNodeHandle> {
  const sip = new MediaSipService(ctx);
  const originate = new MediaOriginateService(ctx);
  const app = await runApp({
    name: APP_NAME,
    module: MediaNodeModule.forRoot(ctx, sip, originate),
    host: ctx.config.HOST,
    port: ctx.config.MEDIA_NODE_HTTP_PORT,
    logger: ctx.logger,
  });
  let heartbeat: NodeHeartbeat;
  try {
    // queues exist before the node is announced, so requests forwarded here have somewhere to land
    await originate.start(sip.sip);
    heartbeat = await startNodeHeartbeat({
      nodes: ctx.infra.calls.nodes,
      nodeId: ctx.config.NODE_ID,
      info: {
        app: APP_NAME, http: app.url, sip: sip.describe(), serverId: ctx.infra.bus.serverId, [MEDIA_PROCESS_INFO]: String(originate.canProcessMedia),
        ...(sip.relayAddress() !== undefined ? { [SIP_RELAY_INFO]: sip.relayAddress() as string } : {}),
      },
      logger: ctx.logger,
      intervalMs: ctx.config.HEARTBEAT_INTERVAL_MS,
      ...(ctx.config.HEARTBEAT_TTL_MS !== undefined ? { ttlMs: ctx.config.HEARTBEAT_TTL_MS } : {}),
    });
  } catch (err) {
    await originate.stop();
    await app.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    name: app.name,
    url: app.url,
    details: [`sip: ${sip.sip.listening().map((l) => `${l.protocol}:${l.address}:${l.port}`).join(' ')}`],
    sip: sip.sip,
    originate,
    close() {
      // Leave the registry first so no new work is routed here, drain the calls, then stop SIP with the app.
      closing ??= heartbeat.stop().finally(() => originate.stop()).finally(() => app.close());
      return closing;
    },
  };
}
