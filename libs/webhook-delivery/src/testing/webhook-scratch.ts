import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { connect } from 'amqplib';
import { createBus, DEAD_LETTER_QUEUE, STANDARD_EXCHANGES, type Bus } from '@legwork/bus';
import { buildMessage, callEvents, type CallEventName } from '@legwork/contracts';
import { createDirectory, type Directory } from '@legwork/directory';
import { WEBHOOK_TOPOLOGY as T } from '../delivery-job';
import { DEFAULT_PARTITIONS } from '../partition';
import { webhookQueueNames } from '../webhook-topology';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Real RabbitMQ and Redis under a per-run namespace and key prefix, removed by dispose(). */
export class WebhookScratch {
  readonly namespace = `whtest${randomBytes(4).toString('hex')}`;
  readonly prefix = `whtest:${randomBytes(6).toString('hex')}:`;
  /** LEGWORK_SECRET_KEYS of the run: every directory on the prefix must hold it to read webhook secrets. */
  readonly secretKeys = `wh:${randomBytes(32).toString('base64')}`;
  readonly directory: Directory = createDirectory({ url: REDIS_URL, prefix: this.prefix, secretKeys: this.secretKeys });
  private readonly buses: Bus[] = [];
  private redis: Redis | undefined;
  /** Extra queues a test declared in the namespace. */
  readonly queues: string[] = [];

  constructor(
    readonly tiersMs: number[] = [],
    readonly partitions = DEFAULT_PARTITIONS,
  ) {}

  /** A started bus in the namespace; `url` (a relay's) and a short publish timeout for one a test cuts off. */
  async bus(nodeId: string, opts: { url?: string; publishTimeoutMs?: number } = {}): Promise<Bus> {
    const bus = createBus({ url: opts.url ?? AMQP_URL, appName: 'webhooks-test', nodeId, namespace: this.namespace, publishTimeoutMs: opts.publishTimeoutMs });
    await bus.start();
    this.buses.push(bus);
    return bus;
  }

  /** The Redis and key prefix workers share outage state on (the run's own prefix). */
  get outage(): { redis: Redis; prefix: string } {
    this.redis ??= new Redis(REDIS_URL);
    return { redis: this.redis, prefix: this.prefix };
  }

  /** Deletes every exchange and queue of the namespace (ours alone) and every key of the prefix. */
  async dispose(): Promise<void> {
    const admin = this.buses[0];
    await Promise.all(this.buses.splice(0).map((b) => b.close()));
    await this.directory.close();
    await this.redis?.quit();
    const raw = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await raw.del(...keys);
    } while (cursor !== '0');
    await raw.quit();
    if (admin) await deleteNamespace(this.namespace, [...webhookQueueNames(this.tiersMs, this.partitions), T.legacyEventQueue, ...this.queues]);
  }
}

async function deleteNamespace(namespace: string, queues: string[]): Promise<void> {
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    const own = [DEAD_LETTER_QUEUE, ...queues];
    for (const q of own) await ch.deleteQueue(`${namespace}.${q}`);
    for (const x of [...STANDARD_EXCHANGES.map((e) => e.name), T.exchange]) await ch.deleteExchange(`${namespace}.${x}`);
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** A call event as a media node publishes it. */
export function callEvent(name: CallEventName, callId: string, accountId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return buildMessage(callEvents[name], { 'Call-ID': callId, 'Call-Direction': 'outbound', 'Caller-ID-Number': '+15555550100', 'Custom-Channel-Vars': { 'Account-ID': accountId }, ...extra } as never, {
    'App-Name': 'media-node',
    'App-Version': '0.1.0',
  });
}

export async function publishCallEvent(bus: Bus, event: Record<string, unknown>): Promise<void> {
  const def = callEvents[event['Event-Name'] as CallEventName];
  await bus.publish(def.exchange, def.routingKey(event as never), event, { mandatory: false });
}
