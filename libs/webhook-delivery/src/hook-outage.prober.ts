import { randomBytes } from 'node:crypto';
import type { Logger } from '@legwork/common';
import { type DeliveryJob, deliveryJobSchema } from './delivery-job';
import type { HookOutageStore } from './hook-outage.store';

/** What probing a backlog's head came to: delivered (or handed on), receiver still down, or hook disabled meanwhile. */
export type ProbeOutcome = 'done' | 'down' | 'disabled' | 'expired';

export interface HookOutageProberOptions {
  store: HookOutageStore;
  logger: Logger;
  tickMs: number;
  maxOutageMs: number;
  probeMaxMs: number;
  lockTtlMs: number;
  now: () => number;
  /** Attempts the head job; 'expired' is never returned by it. */
  probe: (job: DeliveryJob) => Promise<Exclude<ProbeOutcome, 'expired'>>;
  /** The outage outlived its bound: disable the hook (its backlog is then parked by the prober). */
  expire: (job: DeliveryJob, since: number) => Promise<void>;
  /** Parks one job of a closed outage in the dead queue. */
  park: (job: DeliveryJob, reason: string) => Promise<void>;
}

/**
 * Drains hooks' outage backlogs, one prober per hook across workers (a Redis lock): retries the head with capped
 * exponential backoff and, once it goes through, delivers the rest in order; the last pop ends the outage.
 */
export class HookOutageProber {
  private readonly owner = randomBytes(8).toString('hex');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: HookOutageProberOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.opts.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const hooks = await this.opts.store.hooks();
      await Promise.all(hooks.map((h) => this.drain(h)));
    } catch (err) {
      this.opts.logger.warn({ err: String(err) }, 'webhook outage probe failed; retried next tick');
    }
  }

  private async drain(hookId: string): Promise<void> {
    const { store } = this.opts;
    if (!(await store.lock(hookId, this.owner, this.opts.lockTtlMs))) return;
    try {
      for (;;) {
        if (this.timer === undefined) return;
        const state = await store.state(hookId);
        if (!state) return void (await store.forget(hookId));
        if (this.opts.now() < state.nextAt) return;
        const raw = await store.head(hookId);
        if (raw === undefined) {
          await store.pop(hookId);
          continue;
        }
        const job = deliveryJobSchema.parse(JSON.parse(raw));
        const expired = this.opts.now() - state.since > this.opts.maxOutageMs;
        const outcome: ProbeOutcome = expired ? 'expired' : await this.opts.probe(job);
        if (outcome === 'down') return void (await store.backOff(hookId, this.opts.now(), this.opts.probeMaxMs));
        if (outcome === 'expired') await this.opts.expire(job, state.since);
        if (outcome === 'expired' || outcome === 'disabled') return await this.parkBacklog(hookId, outcome === 'expired' ? 'outage_exceeded' : 'hook_disabled');
        const left = await store.pop(hookId);
        if (left === 0) this.opts.logger.info({ hookId, downMs: this.opts.now() - state.since }, 'webhook outage over; backlog delivered');
        await store.extend(hookId, this.opts.lockTtlMs);
      }
    } finally {
      await store.unlock(hookId, this.owner);
    }
  }

  /** Closes the outage and moves its backlog, oldest first, to the dead queue (replayable). */
  private async parkBacklog(hookId: string, reason: string): Promise<void> {
    const { store } = this.opts;
    const count = await store.close(hookId);
    for (let raw = await store.asideHead(hookId); raw !== undefined; raw = await store.asideHead(hookId)) {
      await this.opts.park(deliveryJobSchema.parse(JSON.parse(raw)), reason);
      await store.asidePop(hookId);
      await store.extend(hookId, this.opts.lockTtlMs);
    }
    await store.forget(hookId);
    this.opts.logger.warn({ hookId, parked: count, reason }, 'webhook outage backlog parked');
  }
}
