import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipTarget } from '../transport/transport.types';
import { BaseTransaction } from './base.transaction';
import { SipTransactionError } from './transaction.errors';
import { DerivedTimers, deriveTimers } from './timers';
import type { ClientTransaction, ClientTransactionUser, TransactionContext } from './transaction.types';

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** RFC 3261 Figure 6. */
const TRANSITIONS: Record<NonInviteClientState, readonly NonInviteClientState[]> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

type Timer = 'E' | 'F' | 'K';

export class NonInviteClientTransaction extends BaseTransaction<NonInviteClientState, Timer> implements ClientTransaction {
  protected readonly terminatedState = 'terminated';
  private readonly t: DerivedTimers;
  private interval: number;

  constructor(
    key: string,
    readonly request: SipRequest,
    readonly target: SipTarget,
    ctx: TransactionContext,
    private readonly user: ClientTransactionUser,
    onTerminated: (key: string, tx: unknown) => void,
  ) {
    super(key, 'trying', TRANSITIONS, ctx, onTerminated);
    this.t = deriveTimers(ctx.timers, ctx.transport.isReliable(target.protocol));
    this.interval = this.t.E;
  }

  start(): void {
    this.transmit();
    if (this.t.retransmit) this.timerSet.start('E', this.interval, () => this.timerE());
    this.timerSet.start('F', this.t.F, () => this.fail(new SipTransactionError('sip_timeout', `Timer F: no final response to ${this.request.method}`, { key: this.key })));
  }

  /** Doubles up to T2 while trying; in proceeding it stays at T2 (§17.1.2.2). */
  private timerE(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.transmit();
    this.interval = this.state === 'trying' ? Math.min(this.interval * 2, this.ctx.timers.T2) : this.ctx.timers.T2;
    this.timerSet.start('E', this.interval, () => this.timerE());
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    if (response.status < 200) {
      this.goto('proceeding');
      this.user.onResponse(response);
      return;
    }
    this.timerSet.stop('E');
    this.timerSet.stop('F');
    this.goto('completed');
    if (this.t.K === 0) this.terminate();
    else this.timerSet.start('K', this.t.K, () => this.terminate());
    this.user.onResponse(response);
  }

  private transmit(): void {
    this.ctx.transport.send(this.request, this.target).catch((err: unknown) => this.fail(this.transportError(err)));
  }

  private fail(error: SipTransactionError): void {
    if (this.state === 'terminated' || this.state === 'completed') return;
    this.terminate();
    this.user.onFailure(error);
  }
}
