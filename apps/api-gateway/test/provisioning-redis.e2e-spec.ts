import { randomBytes } from 'node:crypto';
import { createInfrastructure, createLogger, loadConfig } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames } from '@legwork/platform/testing';
import { apiGatewayConfigSchema } from '../src/api-gateway.config';
import { bootstrapApiGateway } from '../src/bootstrap';
import { describeProvisioning } from './provisioning.suite';

describeProvisioning('Redis and RabbitMQ', async () => {
  const tag = randomBytes(5).toString('hex');
  const scratch = scratchNames('prov');
  const logger = createLogger('api-gateway', 'silent');
  // The bucket is raised so the suite's burst of calls from one account never meets 429.
  const config = loadConfig(apiGatewayConfigSchema, { NODE_ID: `provisioning-${tag}`, HOST: '127.0.0.1', API_GATEWAY_PORT: '0', LOG_LEVEL: 'silent', RATE_BUCKET_BURST: '100000' });
  const infra = createInfrastructure({ appName: 'api-gateway', nodeId: config.NODE_ID, logger, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, ...scratch });
  await infra.start();
  const app = await bootstrapApiGateway({ config, infra, logger }, { print: () => undefined });
  return {
    url: app.url,
    directory: infra.directory,
    close: async () => {
      await app.close();
      await infra.close();
      await cleanupScratch(scratch);
    },
  };
});
