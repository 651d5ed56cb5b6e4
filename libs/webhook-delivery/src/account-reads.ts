import type { Account, Directory } from '@legwork/directory';

interface Waiter {
  resolve(account: Account | null): void;
  reject(err: unknown): void;
}

/**
 * The account lookups of one turn of the event loop share one read per account (a burst of a call's events reads its
 * account once, not per event). A lookup only joins a read not sent yet, so the store answers it after the lookup
 * started: a write acknowledged before then is seen.
 */
export class AccountReads {
  private queued = new Map<string, Waiter[]>();

  constructor(private readonly directory: Pick<Directory, 'accounts'>) {}

  find(accountId: string): Promise<Account | null> {
    return new Promise<Account | null>((resolve, reject) => {
      const waiting = this.queued.get(accountId);
      if (waiting !== undefined) return void waiting.push({ resolve, reject });
      if (this.queued.size === 0) setImmediate(() => this.read());
      this.queued.set(accountId, [{ resolve, reject }]);
    });
  }

  private read(): void {
    const queued = this.queued;
    this.queued = new Map();
    for (const [id, waiters] of queued) {
      this.directory.accounts.find(id).then(
        (account) => waiters.forEach((w) => w.resolve(account)),
        (err: unknown) => waiters.forEach((w) => w.reject(err)),
      );
    }
  }
}
