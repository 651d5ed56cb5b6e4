import type { SipResponse } from '../message/sip-message';
import type { SipTransactionError } from '../transaction/transaction.errors';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import type { ReinviteOptions } from './dialog.types';

/** The dialog as a re-INVITE we sent sees it. */
export interface ReinvitingDialog {
  inviteInProgress: boolean;
  outgoingDone(): void;
  resendAck(seq: number): void;
  refreshTarget(response: SipResponse): void;
  sessionSettled(response: SipResponse, offer: string | undefined): void;
  acknowledge(seq: number, response: SipResponse, answer?: ReinviteOptions['answer']): Promise<void>;
}

export interface PendingReinvite {
  resolve: (response: SipResponse) => void;
  reject: (err: unknown) => void;
  answer: ReinviteOptions['answer'];
  offer: string | undefined;
}

/**
 * The user of our re-INVITE's client transaction. Emptied once settled: the transaction outlives the exchange
 * (Timer M) and must keep neither the caller's answer nor the result; one object, no closures.
 */
export class ReinviteExchange implements ClientTransactionUser {
  constructor(
    private readonly dialog: ReinvitingDialog,
    private readonly seq: number,
    private pending: PendingReinvite | undefined,
  ) {}

  private take(): PendingReinvite | undefined {
    const p = this.pending;
    this.pending = undefined;
    return p;
  }

  onResponse(response: SipResponse): void {
    if (response.status < 200) return;
    const dialog = this.dialog;
    dialog.inviteInProgress = false;
    const p = this.take();
    if (response.status >= 300) {
      if (p !== undefined) dialog.outgoingDone();
      p?.resolve(response);
      return;
    }
    if (p === undefined) {
      dialog.resendAck(this.seq);
      return;
    }
    dialog.refreshTarget(response);
    dialog.sessionSettled(response, p.offer);
    void dialog
      .acknowledge(this.seq, response, p.answer)
      .finally(() => dialog.outgoingDone())
      .then(() => p.resolve(response), p.reject);
  }

  onFailure(error: SipTransactionError): void {
    this.dialog.inviteInProgress = false;
    const p = this.take();
    if (p !== undefined) this.dialog.outgoingDone();
    p?.reject(error);
  }
}
