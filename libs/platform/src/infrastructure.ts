import { createBus, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore, type EventLogBounds } from '@legwork/call-state';
import { createDirectory, isSecretsError, SecretKeyring, type AuthThrottlePolicy, type Directory } from '@legwork/directory';
import { countAuthEvent, registerAuthMetrics } from './auth-metrics';
import type { Logger } from '@legwork/common';
import type { RedisNode } from '@legwork/redis';
import { ConfigError } from './config.error';
import type { BaseConfig } from './config.schema';

export type InfrastructureMode = 'embedded' | 'distributed';

export interface InfrastructureOptions {
  /** One broker, or the nodes of one cluster in the order they are tried. */
  amqpUrl?: string | readonly string[];
  redisUrl?: string;
  /** Seed nodes of a Redis Cluster, instead of redisUrl. */
  redisClusterNodes?: readonly RedisNode[];
  appName: string;
  nodeId: string;
  logger: Logger;
  redisPrefix?: string;
  amqpNamespace?: string;
  /** What the bus does with exchanges an earlier Legwork declared durable (see @legwork/bus). */
  amqpExchangeMigration?: 'auto' | 'manual';
  /** Lifetime of auth tokens issued by the directory. */
  authTokenTtlSeconds?: number;
  /** How much of each account's call-event log is kept (defaults in @legwork/call-state). */
  eventLog?: EventLogBounds;
  /** Failed-authentication limits (defaults in @legwork/directory). */
  authThrottle?: Partial<AuthThrottlePolicy>;
  /** LEGWORK_SECRET_KEYS (`kid:base64(32 bytes)[,…]`): required in distributed mode, the same on every app. */
  secretKeys?: string;
}

export interface Infrastructure {
  readonly bus: Bus;
  readonly calls: CallStore;
  readonly directory: Directory;
  readonly mode: InfrastructureMode;
  start(): Promise<void>;
  /** Closes bus, store and directory; later calls return the same promise. */
  close(): Promise<void>;
}

/** Embedded (in-process drivers) when neither the broker nor Redis is set; distributed needs both. */
export function createInfrastructure(options: InfrastructureOptions): Infrastructure {
  const { amqpUrl, redisUrl, redisClusterNodes, appName, nodeId, logger } = options;
  const redisVariable = redisClusterNodes !== undefined ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL';
  if (redisUrl && redisClusterNodes !== undefined) {
    throw ConfigError.fromIssues([{ variable: 'REDIS_CLUSTER_NODES', message: 'is set together with REDIS_URL: set one (REDIS_CLUSTER_NODES for a Redis Cluster, REDIS_URL for one Redis)' }]);
  }
  const hasRedis = Boolean(redisUrl) || redisClusterNodes !== undefined;
  const hasAmqp = typeof amqpUrl === 'string' ? amqpUrl !== '' : amqpUrl !== undefined && amqpUrl.length > 0;
  if (hasAmqp !== hasRedis) {
    const issue = hasAmqp
      ? { variable: 'REDIS_URL', message: 'is required because AMQP_URL is set (or REDIS_CLUSTER_NODES for a Redis Cluster; distributed mode needs both; unset both for embedded mode)' }
      : { variable: 'AMQP_URL', message: `is required because ${redisVariable} is set (distributed mode needs both; unset both for embedded mode)` };
    throw ConfigError.fromIssues([issue]);
  }
  const mode: InfrastructureMode = hasAmqp ? 'distributed' : 'embedded';
  const keyring = secretKeyring(options.secretKeys, mode, logger);
  const bus = createBus({ url: hasAmqp ? amqpUrl : undefined, appName, nodeId, logger, namespace: options.amqpNamespace, exchangeMigration: options.amqpExchangeMigration });
  const redis = { url: redisUrl || undefined, clusterNodes: redisClusterNodes };
  const calls = createCallStore({ ...redis, prefix: options.redisPrefix, logger, ...(options.eventLog !== undefined ? { eventLog: options.eventLog } : {}) });
  registerAuthMetrics();
  const directory = createDirectory({
    ...redis,
    prefix: options.redisPrefix,
    logger,
    tokenTtlSeconds: options.authTokenTtlSeconds,
    onAuthEvent: countAuthEvent,
    secretKeys: keyring,
    ...(options.authThrottle !== undefined ? { authThrottle: options.authThrottle } : {}),
  });

  let closing: Promise<void> | undefined;
  const closeAll = async (): Promise<void> => {
    const results = await Promise.allSettled([bus.close(), calls.close(), directory.close()]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const f of failed) logger.error({ err: f.reason }, 'infrastructure close failed');
    if (failed.length > 0) throw failed[0].reason;
  };

  return {
    bus,
    calls,
    directory,
    mode,
    async start() {
      await bus.start();
      logger.info({ mode }, 'infrastructure started');
    },
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}

/** The platform's secret keys; embedded mode may run on a key of its own since it keeps nothing. */
function secretKeyring(secretKeys: string | undefined, mode: InfrastructureMode, logger: Logger): SecretKeyring {
  if (secretKeys === undefined || secretKeys === '') {
    if (mode === 'distributed') {
      throw ConfigError.fromIssues([
        {
          variable: 'LEGWORK_SECRET_KEYS',
          message: 'is required in distributed mode (Redis is set): every app of the platform must share it; make one with `npm run legwork -- secrets keygen`',
        },
      ]);
    }
    const ring = SecretKeyring.ephemeral();
    logger.info({ keyId: ring.currentId }, 'LEGWORK_SECRET_KEYS is not set: generated an ephemeral secret key (embedded mode, nothing is persisted)');
    return ring;
  }
  try {
    const ring = SecretKeyring.parse(secretKeys);
    logger.info({ keyIds: ring.ids }, 'secret keys loaded');
    return ring;
  } catch (err) {
    if (isSecretsError(err)) throw ConfigError.fromIssues([{ variable: 'LEGWORK_SECRET_KEYS', message: err.message }]);
    throw err;
  }
}

/** Maps the shared config variables onto infrastructure options. */
export function infrastructureFromConfig(config: BaseConfig, appName: string, logger: Logger): Infrastructure {
  return createInfrastructure({
    amqpUrl: config.AMQP_URL,
    redisUrl: config.REDIS_URL,
    redisClusterNodes: config.REDIS_CLUSTER_NODES,
    appName,
    nodeId: config.NODE_ID,
    logger,
    redisPrefix: config.REDIS_PREFIX,
    amqpNamespace: config.AMQP_NAMESPACE,
    amqpExchangeMigration: config.AMQP_EXCHANGE_MIGRATION,
    authTokenTtlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
    secretKeys: config.LEGWORK_SECRET_KEYS,
    eventLog: { maxLength: config.EVENT_LOG_MAX_LENGTH, maxAgeMs: config.EVENT_LOG_MAX_AGE_SECONDS * 1000 },
    authThrottle: {
      sourceFailures: config.AUTH_FAIL_SOURCE_LIMIT,
      sourceWindowSeconds: config.AUTH_FAIL_SOURCE_WINDOW_SECONDS,
      userFailures: config.AUTH_FAIL_USER_LIMIT,
      userWindowSeconds: config.AUTH_FAIL_USER_WINDOW_SECONDS,
      blockSeconds: config.AUTH_FAIL_BLOCK_SECONDS,
    },
  });
}

/** The health checks every app serves: one per piece of shared infrastructure. */
export function infrastructureChecks(infra: Infrastructure): Record<string, () => Promise<void>> {
  return {
    bus: () => infra.bus.ping(),
    store: () => infra.calls.ping(),
    directory: () => infra.directory.ping(),
  };
}
