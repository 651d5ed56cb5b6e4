import { createResponse } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipSource } from '../transport/transport.types';
import { BaseTransaction } from './base.transaction';
import { SipTransactionError } from './transaction.errors';
import { DerivedTimers, deriveTimers } from './timers';
import type { ServerTransaction, ServerTransactionUser, TransactionContext } from './transaction.types';

export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

/** RFC 3261 Figure 7 as amended by RFC 6026 (Accepted state). */
const TRANSITIONS: Record<InviteServerState, readonly InviteServerState[]> = {
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

type Timer = 'trying' | 'G' | 'H' | 'I' | 'L';

export class InviteServerTransaction extends BaseTransaction<InviteServerState, Timer> implements ServerTransaction {
  protected readonly terminatedState = 'terminated';
  lastResponse: SipResponse | undefined;
  user: ServerTransactionUser = {};
  private readonly t: DerivedTimers;
  private interval: number;

  constructor(
    key: string,
    readonly request: SipRequest,
    readonly source: SipSource,
    ctx: TransactionContext,
    onTerminated: (key: string, tx: unknown) => void,
  ) {
    super(key, 'proceeding', TRANSITIONS, ctx, onTerminated);
    this.t = deriveTimers(ctx.timers, ctx.transport.isReliable(source.protocol));
    this.interval = this.t.G;
    // §17.2.1: 100 Trying only if the TU has not answered within 200 ms
    this.timerSet.start('trying', ctx.timers.trying, () => {
      if (this.lastResponse === undefined) void this.respond(createResponse(request, 100));
    });
  }

  respond(response: SipResponse): Promise<void> {
    const status = response.status;
    switch (this.state) {
      case 'proceeding':
        this.timerSet.stop('trying');
        this.lastResponse = response;
        if (status >= 200 && status < 300) {
          this.goto('accepted');
          this.timerSet.start('L', this.t.L, () => this.terminate());
        } else if (status >= 300) {
          this.goto('completed');
          if (this.t.retransmit) this.timerSet.start('G', this.interval, () => this.timerG());
          this.timerSet.start('H', this.t.H, () => this.timerH());
        }
        return this.transmit(response);
      case 'accepted':
        // RFC 6026 §8.7: the core's 2xx retransmissions pass through this state
        if (status >= 200 && status < 300) return this.transmit(response);
        return Promise.resolve();
      default:
        return Promise.resolve();
    }
  }

  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.state === 'completed') {
        this.timerSet.stop('G');
        this.timerSet.stop('H');
        this.goto('confirmed');
        if (this.t.I === 0) this.terminate();
        else this.timerSet.start('I', this.t.I, () => this.terminate());
      } else if (this.state === 'accepted') {
        this.user.onAck?.(request);
      }
      return;
    }
    // a retransmitted INVITE: repeat the provisional or the final, absorbed in Accepted (RFC 6026)
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse !== undefined) void this.transmit(this.lastResponse);
  }

  private timerG(): void {
    if (this.state !== 'completed' || this.lastResponse === undefined) return;
    void this.transmit(this.lastResponse);
    this.interval = Math.min(this.interval * 2, this.ctx.timers.T2);
    this.timerSet.start('G', this.interval, () => this.timerG());
  }

  private timerH(): void {
    if (this.state !== 'completed') return;
    this.terminate();
    this.user.onFailure?.(new SipTransactionError('sip_no_ack', 'Timer H: no ACK for the final response', { key: this.key }));
  }

  private transmit(response: SipResponse): Promise<void> {
    return this.ctx.transport.sendResponse(response, this.source).catch((err: unknown) => {
      if (this.state === 'terminated') return;
      this.terminate();
      this.user.onFailure?.(this.transportError(err));
    });
  }
}
