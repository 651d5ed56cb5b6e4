import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { BUS_EXCHANGES, DEAD_LETTER_QUEUE } from '@legwork/bus';
import { createInfrastructure, createLogger, loadConfig } from '@legwork/platform';
import { apiGatewayConfigSchema } from '../src/api-gateway.config';
import { bootstrapApiGateway } from '../src/bootstrap';
import { describeProvisioning } from '../src/kazoo/provisioning/testing';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Removes only the keys and exchanges this run created under its own prefix and namespace. */
async function cleanup(prefix: string, namespace: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    await ch.deleteQueue(`${namespace}.${DEAD_LETTER_QUEUE}`);
    for (const name of Object.values(BUS_EXCHANGES)) await ch.deleteExchange(`${namespace}.${name}`);
    await ch.close();
  } finally {
    await conn.close();
  }
}

describeProvisioning('Redis and RabbitMQ', async () => {
  const tag = randomBytes(5).toString('hex');
  const prefix = `t-prov-${tag}:`;
  const namespace = `t-prov-${tag}`;
  const logger = createLogger('api-gateway', 'silent');
  // The bucket is raised so the suite's burst of calls from one account never meets 429.
  const config = loadConfig(apiGatewayConfigSchema, { NODE_ID: `provisioning-${tag}`, HOST: '127.0.0.1', API_GATEWAY_PORT: '0', LOG_LEVEL: 'silent', RATE_BUCKET_BURST: '100000' });
  const infra = createInfrastructure({ appName: 'api-gateway', nodeId: config.NODE_ID, logger, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, redisPrefix: prefix, amqpNamespace: namespace });
  await infra.start();
  const app = await bootstrapApiGateway({ config, infra, logger }, { print: () => undefined });
  return {
    url: app.url,
    directory: infra.directory,
    close: async () => {
      await app.close();
      await infra.close();
      await cleanup(prefix, namespace);
    },
  };
});
