import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { secretKeysProblems } from '@legwork/directory';
import { redisClusterNodesSchema, redisUrlSchema } from '@legwork/redis';
import { brokerUrlsSchema } from '@legwork/bus';
import { secret } from './config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A TCP/UDP port; 0 asks the OS for a free one (the listening URL is logged). */
export function port(defaultPort: number) {
  return z.coerce
    .number({ error: 'must be a port number (0-65535)' })
    .int({ error: 'must be a port number (0-65535)' })
    .min(0, { error: 'must be a port number (0-65535)' })
    .max(65535, { error: 'must be a port number (0-65535)' })
    .default(defaultPort);
}

function defaultNodeId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '-') || 'node';
  return `${host}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

/** Every app reads these; the node id also names the node's own queues, hence the charset. */
export const baseConfigShape = {
  // one broker, or the nodes of a RabbitMQ cluster comma-separated: the first that answers, the next when it is lost
  AMQP_URL: brokerUrlsSchema.optional(),
  // one Redis, or a Sentinel-managed primary: redis-sentinel://[[user]:password@]host:port[,host:port…]/<name>[/<db>]
  REDIS_URL: redisUrlSchema.optional(),
  // host:port,host:port… seed nodes of a Redis Cluster, instead of REDIS_URL
  REDIS_CLUSTER_NODES: redisClusterNodesSchema.optional(),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
    .default(defaultNodeId),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  // auto: readable lines when stdout is a terminal, JSON lines otherwise
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default('auto'),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_PREFIX: z.string().min(1).max(64).default('lw:'),
  AMQP_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/, { error: 'must contain only A-Z a-z 0-9 _ . -' })
    .default(''),
  // exchanges an earlier Legwork declared durable: auto replaces them when nothing depends on them, manual refuses to start
  AMQP_EXCHANGE_MIGRATION: z.enum(['auto', 'manual'], { error: 'must be auto or manual' }).default('auto'),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60, { error: 'must be at least 60 seconds' }).max(86400 * 30).default(3600),
  // failed authentications (REST logins, SIP digest) tolerated before a source or a username is blocked
  AUTH_FAIL_SOURCE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  AUTH_FAIL_SOURCE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  AUTH_FAIL_USER_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  AUTH_FAIL_USER_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  AUTH_FAIL_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  // each account's call-event log, which reconnecting websocket clients resume from: entries kept, and for how long
  EVENT_LOG_MAX_LENGTH: z.coerce.number().int().min(100, { error: 'must be an integer of at least 100' }).max(10_000_000).default(10_000),
  EVENT_LOG_MAX_AGE_SECONDS: z.coerce.number().int().min(600, { error: 'must be at least 600 seconds (10 minutes)' }).max(86_400 * 7).default(900),
  LEGWORK_BOOTSTRAP_API_KEY: secret(z.string().min(16, { error: 'must be at least 16 characters' }).optional()),
  // kid:base64(32 bytes)[,kid:…], shared by every app of a platform: the first encrypts, all decrypt; required in distributed mode
  LEGWORK_SECRET_KEYS: secret(z.string().superRefine(checkSecretKeys).optional()),
};

function checkSecretKeys(value: string, ctx: z.RefinementCtx): void {
  const problems = secretKeysProblems(value);
  if (problems.length > 0) ctx.addIssue({ code: 'custom', message: `${problems.join('; ')} (format: KEY_ID:BASE64_32_BYTES[,KEY_ID:…])` });
}

export const baseConfigSchema = z.object(baseConfigShape);
export type BaseConfig = z.output<typeof baseConfigSchema>;

/** Port variables per app, defaults from the design (§8 Running it). */
export const apiGatewayPortShape = { API_GATEWAY_PORT: port(8000) };
export const websocketsPortShape = { WEBSOCKETS_PORT: port(5555) };
export const webhooksPortShape = { WEBHOOKS_PORT: port(8002) };
export const mediaNodePortShape = {
  MEDIA_NODE_HTTP_PORT: port(8001),
  SIP_UDP_PORT: port(5060),
  SIP_TCP_PORT: port(5060),
  SIP_WS_PORT: port(5066),
};
