import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { z } from 'zod';
import type { Bus, Consumer } from '@legwork/bus';
import { EXCHANGES, callEventBindingKey } from '@legwork/contracts';
import type { AppLogger } from '@legwork/platform';
import { webhookBacklogQueues } from '@legwork/webhook-delivery';
import { APP_LOGGER, BUS } from '../infra.tokens';
import { PlatformStats, type StatsSnapshot } from './platform-stats';

const BUCKET_MS = 5000;
const WINDOW_MS = 10 * 60_000;
const EVENTS = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY'] as const;
/**
 * Jobs waiting to go out now: events not yet matched to hooks, and deliveries not yet attempted (retries wait
 * elsewhere), over the default partition count (queues that do not exist are skipped).
 */
const BACKLOG_QUEUES = webhookBacklogQueues();

// only the name and the call id are read: the full event schemas are checked by the services that act on them
const counted = z.looseObject({ 'Event-Name': z.enum(EVENTS), 'Call-ID': z.string().min(1).max(512) });

/** Every gateway keeps its own picture of the platform from the call events (a queue of its own) and the webhook queues. */
@Injectable()
export class PlatformStatsProvider implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly stats = new PlatformStats({ bucketMs: BUCKET_MS, windowMs: WINDOW_MS });
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bindings = EVENTS.map((name) => ({ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey(name) }));
    const queue = await this.bus.declareQueue('', { exclusive: true, autoDelete: true, bindings });
    this.consumer = await this.bus.consume(queue, counted, async (event) => {
      const id = event['Call-ID'];
      if (event['Event-Name'] === 'CHANNEL_CREATE') this.stats.created(id);
      else if (event['Event-Name'] === 'CHANNEL_ANSWER') this.stats.answered(id);
      else this.stats.destroyed(id);
    });
    this.timer = setInterval(() => void this.sampleBacklog(), BUCKET_MS);
    this.timer.unref();
    await this.sampleBacklog();
  }

  snapshot(): StatsSnapshot {
    return this.stats.snapshot();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
  }

  private async sampleBacklog(): Promise<void> {
    // a queue not declared yet (no webhooks app has started) holds nothing
    const depths = await Promise.all(BACKLOG_QUEUES.map((q) => this.bus.queueDepth(q).catch(() => undefined)));
    const known = depths.filter((d): d is number => d !== undefined);
    if (known.length > 0) this.stats.backlog(known.reduce((a, b) => a + b, 0));
    else this.logger.debug({ queues: BACKLOG_QUEUES }, 'no webhook queue to sample');
  }
}
