import { bootstrapApiGateway, bootstrapMediaNode, bootstrapWebhooks, bootstrapWebsockets } from './apps';
import {
  createLogger,
  infrastructureFromConfig,
  redactConfig,
  resolveLogFormat,
  type AppContext,
  type AppHandle,
  type AppLogger,
  type Infrastructure,
  type LoggerOptions,
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

/** The console's page opens the event stream on the port this process's websockets app bound (0 picks one). */
function withConsoleEvents(config: LegworkConfig, apps: readonly AppHandle[]): LegworkConfig {
  const websockets = apps.find((a) => a.name === 'websockets');
  const port = websockets === undefined ? 0 : Number(new URL(websockets.url).port);
  return port > 0 ? { ...config, CONSOLE_EVENTS_PORT: port } : config;
}

export interface PlatformOptions {
  /** Whether stdout is a terminal, for LOG_FORMAT=auto; default: asks process.stdout. */
  isTty?: boolean;
  /** Where every app logs; default stdout. */
  destination?: LoggerOptions['destination'];
}

/** Starts all four apps in this process over one shared infrastructure. */
export async function startPlatform(config: LegworkConfig, options: PlatformOptions = {}): Promise<Platform> {
  const logging: LoggerOptions = { node: config.NODE_ID, format: resolveLogFormat(config.LOG_FORMAT, options.isTty), destination: options.destination };
  const logger = createLogger('legwork', config.LOG_LEVEL, logging);
  logger.info({ config: redactConfig(config) }, 'configuration loaded');
  const infra = infrastructureFromConfig(config, 'legwork', logger);
  const apps: AppHandle[] = [];
  try {
    await infra.start();
    for (const [name, bootstrap] of APPS) {
      const appLogger = createLogger(name, config.LOG_LEVEL, logging);
      const appConfig = name === 'api-gateway' ? withConsoleEvents(config, apps) : config;
      apps.push(await bootstrap({ config: appConfig, infra, logger: appLogger }));
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
