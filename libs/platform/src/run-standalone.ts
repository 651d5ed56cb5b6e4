import type { z } from 'zod';
import { loadConfig, redactConfig, type EnvSchema } from './config';
import type { BaseConfig } from './config.schema';
import { infrastructureFromConfig } from './infrastructure';
import { createLogger, resolveLogFormat } from './logger';
import type { AppContext, AppHandle } from './run-app';
import { runProcess } from './run-process';

export interface StandaloneOptions<S extends EnvSchema> {
  name: string;
  schema: S;
  bootstrap: (ctx: AppContext<z.output<S>>) => Promise<AppHandle>;
  env?: NodeJS.ProcessEnv;
}

/** Entry point of one app on its own: config once, its own infrastructure, then the app. */
export function runStandaloneApp<S extends EnvSchema>(options: StandaloneOptions<S>): Promise<void> {
  return runProcess(
    async () => {
      const config = loadConfig(options.schema, options.env);
      const base = config as unknown as BaseConfig;
      const logger = createLogger(options.name, base.LOG_LEVEL, { node: base.NODE_ID, format: resolveLogFormat(base.LOG_FORMAT) });
      logger.info({ config: redactConfig(config) }, 'configuration loaded');
      const infra = infrastructureFromConfig(base, options.name, logger);
      let app: AppHandle;
      try {
        await infra.start();
        app = await options.bootstrap({ config, infra, logger });
      } catch (err) {
        await infra.close().catch(() => undefined);
        throw err;
      }
      logger.info({ url: app.url, health: `${app.url}/healthz`, mode: infra.mode }, 'listening');
      return {
        logger,
        async close() {
          logger.info('shutting down');
          try {
            await app.close();
          } finally {
            await infra.close();
          }
          logger.info('stopped');
        },
      };
    },
    { name: options.name },
  );
}
