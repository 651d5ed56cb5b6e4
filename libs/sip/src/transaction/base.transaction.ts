import { SipTransactionError } from './transaction.errors';
import { TimerSet } from './timers';
import type { TransactionContext } from './transaction.types';

/** Shared state handling: transitions are checked against an explicit table; termination clears every timer once. */
export abstract class BaseTransaction<State extends string, Timer extends string> {
  protected readonly timerSet = new TimerSet<Timer>();
  private current: State;

  protected constructor(
    readonly key: string,
    initial: State,
    private readonly table: Readonly<Record<State, readonly State[]>>,
    protected readonly ctx: TransactionContext,
    private readonly onTerminated: (key: string, tx: unknown) => void,
  ) {
    this.current = initial;
  }

  get state(): State {
    return this.current;
  }

  protected abstract readonly terminatedState: State;

  protected goto(next: State): void {
    if (next === this.current) return;
    if (!this.table[this.current].includes(next)) {
      this.ctx.logger.warn({ key: this.key, from: this.current, to: next }, 'sip transaction: illegal transition ignored');
      return;
    }
    this.current = next;
    if (next === this.terminatedState) {
      this.timerSet.clear();
      this.onTerminated(this.key, this);
    }
  }

  terminate(): void {
    if (this.current !== this.terminatedState) {
      this.current = this.terminatedState;
      this.timerSet.clear();
      this.onTerminated(this.key, this);
    }
  }

  protected transportError(err: unknown): SipTransactionError {
    const message = err instanceof Error ? err.message : String(err);
    return new SipTransactionError('sip_transport', `transport failed: ${message}`, { key: this.key });
  }
}
