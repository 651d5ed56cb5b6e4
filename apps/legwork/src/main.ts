import { loadConfig, redactConfig, runProcess } from '@legwork/platform';
import { describeRedisTarget } from '@legwork/redis';
import { formatBanner } from './banner';
import { legworkConfigSchema } from './legwork.config';
import { startPlatform } from './launcher';

void runProcess(
  async () => {
    const config = loadConfig(legworkConfigSchema);
    const platform = await startPlatform(config);
    const shown = redactConfig(config);
    const banner = formatBanner({
      mode: platform.infra.mode,
      nodeId: config.NODE_ID,
      apps: platform.apps,
      amqpUrl: Array.isArray(shown.AMQP_URL) ? shown.AMQP_URL.join(',') : undefined,
      redisUrl: config.REDIS_CLUSTER_NODES !== undefined ? describeRedisTarget({ kind: 'cluster', nodes: config.REDIS_CLUSTER_NODES }) : typeof shown.REDIS_URL === 'string' ? shown.REDIS_URL : undefined,
    });
    process.stdout.write(banner);
    return {
      logger: platform.logger,
      async close() {
        platform.logger.info('shutting down');
        await platform.close();
        platform.logger.info('stopped');
      },
    };
  },
  { name: 'legwork' },
);
