import { isBackendUnavailable, type Logger } from '@legwork/common';

export interface StoreRetryOptions {
  logger: Logger;
  /** Between two tries; default 1 000. */
  intervalMs?: number;
  /** Tries stop this long after the first one failed; default 15 minutes. */
  giveUpAfterMs?: number;
}

/**
 * The store writes that end a leg (its record, its channel) must land even when Redis is away at that moment, or
 * the call stays "up" in the store for good: one that fails because the store is unreachable is tried again every
 * interval, in the background, until it lands or time runs out. Other failures are not retried.
 */
export class StoreRetry {
  private readonly waiting = new Map<string, NodeJS.Timeout>();

  constructor(private readonly opts: StoreRetryOptions) {}

  /** The write's result, or undefined when it failed now (it is then retried if the store was unreachable). */
  async attempt<T>(key: string, write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (err) {
      const retried = isBackendUnavailable(err);
      this.opts.logger.warn({ err, key, retried }, 'call store write failed');
      if (retried) this.later(key, write, Date.now() + (this.opts.giveUpAfterMs ?? 900_000));
      return undefined;
    }
  }

  /** Writes still waiting for the store. */
  get pending(): number {
    return this.waiting.size;
  }

  stop(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  private later(key: string, write: () => Promise<unknown>, deadline: number): void {
    clearTimeout(this.waiting.get(key));
    const timer = setTimeout(() => {
      write().then(
        () => {
          this.waiting.delete(key);
          this.opts.logger.info({ key }, 'call store write landed once the store was back');
        },
        (err: unknown) => {
          if (isBackendUnavailable(err) && Date.now() < deadline) return this.later(key, write, deadline);
          this.waiting.delete(key);
          this.opts.logger.error({ err, key }, 'call store write given up');
        },
      );
    }, this.opts.intervalMs ?? 1000);
    timer.unref();
    this.waiting.set(key, timer);
  }
}
