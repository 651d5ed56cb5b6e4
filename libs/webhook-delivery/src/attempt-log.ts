import type { Logger } from '@legwork/common';
import type { Directory, WebhookAttempt } from '@legwork/directory';

interface Pending {
  accountId: string;
  hookId: string;
  attempt: WebhookAttempt;
}

/** Default least time between two batch writes: a busy worker writes its log a few times a second, not per delivery. */
export const ATTEMPT_LOG_GAP_MS = 50;

/**
 * The delivery log, written in batches off the delivery path: attempts that finish while a write is under way, or
 * within `gapMs` of the last write's start, go together in the next one (one write per hook per batch, in the order
 * they finished). flush() waits for all, cutting the gap short.
 */
export class AttemptLog {
  private pending: Pending[] = [];
  private draining: Promise<void> | undefined;
  private endGap: (() => void) | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly directory: Directory,
    private readonly logger: Logger,
    private readonly maxBatch = 1000,
    private readonly gapMs = ATTEMPT_LOG_GAP_MS,
  ) {}

  record(accountId: string, hookId: string, attempt: WebhookAttempt): void {
    this.pending.push({ accountId, hookId, attempt });
    this.draining ??= this.drain();
  }

  /** Resolves once every attempt recorded so far is written (or its write failed and was logged). */
  async flush(): Promise<void> {
    while (this.draining !== undefined) {
      this.endGap?.();
      await this.draining;
    }
  }

  private async drain(): Promise<void> {
    // The attempts finishing in this turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const wait = this.lastWriteAt + this.gapMs - performance.now();
      if (wait > 0) await this.gap(wait);
      this.lastWriteAt = performance.now();
      const batch = this.pending.splice(0, this.maxBatch);
      const byHook = new Map<string, { accountId: string; hookId: string; attempts: WebhookAttempt[] }>();
      for (const { accountId, hookId, attempt } of batch) {
        const key = `${accountId}|${hookId}`;
        const group = byHook.get(key);
        if (group === undefined) byHook.set(key, { accountId, hookId, attempts: [attempt] });
        else group.attempts.push(attempt);
      }
      await Promise.all(
        [...byHook.values()].map((g) =>
          this.directory.webhooks.recordAttempts(g.accountId, g.hookId, g.attempts).catch((err: unknown) => {
            this.logger.warn({ hookId: g.hookId, lost: g.attempts.length, err: err instanceof Error ? err.message : String(err) }, 'webhook delivery log write failed');
          }),
        ),
      );
    }
    this.draining = undefined;
  }

  private gap(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.endGap?.(), ms);
      this.endGap = () => {
        clearTimeout(timer);
        this.endGap = undefined;
        resolve();
      };
    });
  }
}
