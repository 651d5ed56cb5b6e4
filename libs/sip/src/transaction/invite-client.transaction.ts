import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipTarget } from '../transport/transport.types';
import { buildAckForError } from './ack-for-error';
import { BaseTransaction } from './base.transaction';
import { SipTransactionError } from './transaction.errors';
import { DerivedTimers, deriveTimers } from './timers';
import type { ClientTransaction, ClientTransactionUser, TransactionContext } from './transaction.types';

export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

/** RFC 3261 Figure 5 as amended by RFC 6026 (Accepted state). */
const TRANSITIONS: Record<InviteClientState, readonly InviteClientState[]> = {
  calling: ['proceeding', 'accepted', 'completed', 'terminated'],
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['terminated'],
  terminated: [],
};

type Timer = 'A' | 'B' | 'D' | 'M';

export class InviteClientTransaction extends BaseTransaction<InviteClientState, Timer> implements ClientTransaction {
  protected readonly terminatedState = 'terminated';
  private readonly t: DerivedTimers;
  private interval: number;
  private ack: SipRequest | undefined;

  constructor(
    key: string,
    readonly request: SipRequest,
    readonly target: SipTarget,
    ctx: TransactionContext,
    private readonly user: ClientTransactionUser,
    onTerminated: (key: string, tx: unknown) => void,
    /** Takes over the Accepted state as a small record (the layer's); without it this transaction runs Timer M itself. */
    private readonly onAccepted?: (key: string, tx: unknown, user: ClientTransactionUser) => void,
  ) {
    super(key, 'calling', TRANSITIONS, ctx, onTerminated);
    this.t = deriveTimers(ctx.timers, ctx.transport.isReliable(target.protocol));
    this.interval = this.t.A;
  }

  start(): void {
    this.transmit(this.request);
    if (this.t.retransmit) this.timerSet.start('A', this.interval, () => this.timerA());
    this.timerSet.start('B', this.t.B, () => this.fail(new SipTransactionError('sip_timeout', 'Timer B: no response to INVITE', { key: this.key })));
  }

  private timerA(): void {
    if (this.state !== 'calling') return;
    this.transmit(this.request);
    this.interval *= 2;
    this.timerSet.start('A', this.interval, () => this.timerA());
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        this.timerSet.stop('A');
        if (status < 200) {
          this.goto('proceeding');
          this.timerSet.stop('B');
        } else if (status < 300) {
          this.timerSet.stop('B');
          this.goto('accepted');
          if (this.onAccepted === undefined) this.timerSet.start('M', this.t.M, () => this.terminate());
          else this.onAccepted(this.key, this, this.user);
        } else {
          this.timerSet.stop('B');
          this.goto('completed');
          this.ack = buildAckForError(this.request, response);
          this.transmit(this.ack);
          if (this.t.D === 0) {
            this.user.onResponse(response);
            this.terminate();
            return;
          }
          this.timerSet.start('D', this.t.D, () => this.terminate());
        }
        this.user.onResponse(response);
        return;
      case 'accepted':
        // RFC 6026 §8.4: 2xx retransmissions (and other forks' 2xx) go to the core, which ACKs them
        if (status >= 200 && status < 300) this.user.onResponse(response);
        return;
      case 'completed':
        if (status >= 300 && this.ack !== undefined) this.transmit(this.ack);
        return;
      default:
        return;
    }
  }

  private transmit(message: SipRequest): void {
    this.ctx.transport.send(message, this.target).catch((err: unknown) => {
      if (this.state === 'calling' || this.state === 'proceeding') this.fail(this.transportError(err));
    });
  }

  private fail(error: SipTransactionError): void {
    if (this.state === 'terminated') return;
    this.terminate();
    this.user.onFailure(error);
  }
}
