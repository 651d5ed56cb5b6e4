import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipSource } from '../transport/transport.types';
import { BaseTransaction } from './base.transaction';
import { deriveTimers } from './timers';
import type { ServerTransaction, ServerTransactionUser, TransactionContext } from './transaction.types';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** RFC 3261 Figure 8. */
const TRANSITIONS: Record<NonInviteServerState, readonly NonInviteServerState[]> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteServerTransaction extends BaseTransaction<NonInviteServerState, 'J'> implements ServerTransaction {
  protected readonly terminatedState = 'terminated';
  lastResponse: SipResponse | undefined;
  user: ServerTransactionUser = {};
  private readonly timerJ: number;

  constructor(
    key: string,
    readonly request: SipRequest,
    readonly source: SipSource,
    ctx: TransactionContext,
    onTerminated: (key: string, tx: unknown) => void,
  ) {
    super(key, 'trying', TRANSITIONS, ctx, onTerminated);
    this.timerJ = deriveTimers(ctx.timers, ctx.transport.isReliable(source.protocol)).J;
  }

  respond(response: SipResponse): Promise<void> {
    if (this.state !== 'trying' && this.state !== 'proceeding') return Promise.resolve();
    this.lastResponse = response;
    if (response.status < 200) {
      this.goto('proceeding');
    } else {
      this.goto('completed');
      if (this.timerJ === 0) this.terminate();
      else this.timerSet.start('J', this.timerJ, () => this.terminate());
    }
    return this.ctx.transport.sendResponse(response, this.source).catch((err: unknown) => {
      this.user.onFailure?.(this.transportError(err));
    });
  }

  /** Retransmissions are absorbed while trying and answered with the last response afterwards. */
  receiveRequest(_request: SipRequest): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse !== undefined) {
      this.ctx.transport.sendResponse(this.lastResponse, this.source).catch(() => undefined);
    }
  }
}
