import { bootstrapApiGateway, bootstrapMediaNode, bootstrapWebhooks, bootstrapWebsockets } from './apps';
import {
  createLogger,
  infrastructureFromConfig,
  redactConfig,
  type AppContext,
  type AppHandle,
  type AppLogger,
  type Infrastructure,
} from '@legwork/platform';
import type { LegworkConfig } from './legwork.config';

type Bootstrap = (ctx: AppContext<LegworkConfig>) => Promise<AppHandle>;

/** Boot order: media nodes first so the gateway never accepts work nobody can serve. */
const APPS: ReadonlyArray<[string, Bootstrap]> = [
  ['media-node', bootstrapMediaNode],
  ['webhooks', bootstrapWebhooks],
  ['websockets', bootstrapWebsockets],
  ['api-gateway', bootstrapApiGateway],
];

export interface Platform {
  readonly infra: Infrastructure;
  readonly apps: readonly AppHandle[];
  readonly logger: AppLogger;
  /** Closes the apps (reverse boot order), then the shared infrastructure; once. */
  close(): Promise<void>;
}

async function closeApps(apps: readonly AppHandle[], logger: AppLogger): Promise<void> {
  for (const app of [...apps].reverse()) {
    await app.close().catch((err: unknown) => logger.error({ err, app: app.name }, 'app close failed'));
  }
}

/** Starts all four apps in this process over one shared infrastructure. */
export async function startPlatform(config: LegworkConfig): Promise<Platform> {
  const logger = createLogger('legwork', config.LOG_LEVEL, { node: config.NODE_ID });
  logger.info({ config: redactConfig(config) }, 'configuration loaded');
  const infra = infrastructureFromConfig(config, 'legwork', logger);
  const apps: AppHandle[] = [];
  try {
    await infra.start();
    for (const [name, bootstrap] of APPS) {
      const appLogger = createLogger(name, config.LOG_LEVEL, { node: config.NODE_ID });
      apps.push(await bootstrap({ config, infra, logger: appLogger }));
    }
  } catch (err) {
    await closeApps(apps, logger);
    await infra.close().catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    infra,
    apps,
    logger,
    close() {
      closing ??= closeApps(apps, logger).then(() => infra.close());
      return closing;
    },
  };
}
