import type { Bus, Consumer } from '@legwork/bus';
import type { Logger } from '@legwork/common';
import { partitionQueueName } from './delivery-job';

export interface PartitionBalancerOptions {
  bus: Bus;
  partitions: number;
  intervalMs: number;
  logger: Logger;
  /** Starts consuming partition `p` (at the back of its line of waiting consumers). */
  consume(p: number): Promise<Consumer>;
  now?: () => number;
}

/**
 * Every worker consumes every partition; RabbitMQ makes the first registered consumer of each the active
 * one, so the first worker up would take them all. Each worker therefore counts the busy partitions it
 * is active on and, above its share (partitions / workers, rounded up), hands the excess on: it cancels
 * those consumers (the next in line takes over where it stopped) and registers again at the back.
 */
export class PartitionBalancer {
  private readonly consumers: Consumer[] = [];
  private readonly lastSeen: number[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: PartitionBalancerOptions) {
    this.lastSeen = new Array<number>(opts.partitions).fill(Number.NEGATIVE_INFINITY);
  }

  async start(): Promise<void> {
    for (let p = 0; p < this.opts.partitions; p++) this.consumers[p] = await this.opts.consume(p);
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.rebalance().finally(() => (this.running = undefined));
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  /** A delivery from partition `p` reached this worker: it is that partition's active consumer. */
  touch(p: number): void {
    this.lastSeen[p] = this.now();
  }

  /** Partitions this worker delivered from within the last two intervals. */
  busy(): number[] {
    const since = this.now() - 2 * this.opts.intervalMs;
    return this.lastSeen.flatMap((t, p) => (t >= since ? [p] : []));
  }

  async rebalance(): Promise<void> {
    try {
      const busy = this.busy();
      if (busy.length <= 1) return;
      // Every worker consumes every partition: two of them tell the workers' number, even mid-handover of one.
      const probes = [...new Set([0, this.opts.partitions - 1])];
      const counts = await Promise.all(probes.map((p) => this.opts.bus.queueConsumers(partitionQueueName(p))));
      const workers = Math.max(1, ...counts);
      const share = Math.ceil(this.opts.partitions / workers);
      const excess = busy.slice(share);
      if (excess.length === 0 || this.stopped) return;
      this.opts.logger.info({ workers, share, handedOn: excess }, 'webhook partitions handed on');
      await Promise.all(excess.map((p) => this.handOn(p)));
    } catch (err) {
      this.opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'webhook partition rebalance failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // Not waiting for a rebalance under way: its re-registration waits for the broker, which may be gone for good.
    await Promise.all(this.consumers.splice(0).map((c) => c.cancel()));
  }

  private async handOn(p: number): Promise<void> {
    await this.consumers[p]?.cancel();
    this.lastSeen[p] = Number.NEGATIVE_INFINITY;
    if (this.stopped) return;
    const next = await this.opts.consume(p);
    // Registered after stop() went through the consumers: nobody else would cancel it.
    if (this.stopped) await next.cancel();
    else this.consumers[p] = next;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
