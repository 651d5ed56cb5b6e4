import type { Dialog } from '../dialog/dialog';
import type { ReinviteOptions } from '../dialog/dialog.types';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { SipTransactionError } from '../transaction/transaction.errors';
import { startTimer } from '../transaction/timers';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import { type TwoXxContext, TransactionRelay, acknowledge2xx, lateResponses } from './invite-2xx';

export type InviteOutcome =
  | { kind: 'accepted'; dialog: Dialog; response: SipResponse }
  | { kind: 'rejected'; response: SipResponse }
  /** cancel() won, or a 2xx raced it (that dialog was ACKed and BYEd at once). */
  | { kind: 'cancelled'; response?: SipResponse }
  | { kind: 'failed'; error: SipTransactionError };

/** What an OutgoingInvite needs from the UA core. */
export interface OutgoingInviteHost {
  readonly longTimeout: number;
  createUacDialog(invite: SipRequest, response: SipResponse): Dialog;
  sendCancel(invite: SipRequest, reason: string | undefined): void;
  abandon(invite: SipRequest): void;
  /** The INVITE to resend answering a 401/407 challenge, or undefined to surface the response. */
  authenticate(invite: SipRequest, response: SipResponse): SipRequest | undefined;
  /** Starts a new INVITE client transaction for the retried request. */
  resend(invite: SipRequest): void;
}

/** The UAC side of one INVITE: provisional, forked and late 2xx, CANCEL, the ACK for 2xx. */
export class OutgoingInvite {
  readonly final: Promise<InviteOutcome>;
  cancelled = false;
  request: SipRequest | undefined;
  host: OutgoingInviteHost | undefined;
  private settle!: (outcome: InviteOutcome) => void;
  private settled = false;
  private provisionalSeen = false;
  private authenticated = false;
  private cancelReason: string | undefined;
  private readonly dialogs = new Map<string, Dialog>();
  // emptied once settled: the transaction outlives the call (Timer M) and must not keep the application's closures
  private provisionalCbs: Array<(response: SipResponse) => void> = [];
  private acceptedCbs: Array<(dialog: Dialog, response: SipResponse) => void> = [];
  private failureCbs: Array<(failure: SipResponse | SipTransactionError) => void> = [];

  /** What the INVITE client transaction reports to. */
  private readonly relay = new TransactionRelay({
    onResponse: (response) => this.handleResponse(response),
    onFailure: (error) => this.handleFailure(error),
  });
  private stopAbandonTimer: (() => void) | undefined;

  get transactionUser(): ClientTransactionUser {
    return this.relay;
  }

  constructor(
    readonly callId: string,
    private readonly answer?: ReinviteOptions['answer'],
  ) {
    this.final = new Promise((resolve) => (this.settle = resolve));
  }

  onProvisional(cb: (response: SipResponse) => void): this {
    if (!this.settled) this.provisionalCbs.push(cb);
    return this;
  }

  onAccepted(cb: (dialog: Dialog, response: SipResponse) => void): this {
    if (!this.settled) this.acceptedCbs.push(cb);
    return this;
  }

  onFailure(cb: (failure: SipResponse | SipTransactionError) => void): this {
    if (!this.settled) this.failureCbs.push(cb);
    return this;
  }

  /** §9.1: CANCEL goes out once a provisional arrived; before that it waits for one. */
  cancel(reason?: string): void {
    if (this.settled || this.cancelled) return;
    this.cancelled = true;
    this.cancelReason = reason;
    if (this.request === undefined) {
      this.finish({ kind: 'cancelled' });
      return;
    }
    if (this.provisionalSeen) this.sendCancel();
  }

  private sendCancel(): void {
    const { request, host } = this;
    if (request === undefined || host === undefined) return;
    host.sendCancel(request, this.cancelReason);
    // §9.1: no final response 64*T1 after the CANCEL → consider the INVITE cancelled
    this.stopAbandonTimer = startTimer(host.longTimeout, () => {
      if (this.settled) return;
      host.abandon(request);
      this.finish({ kind: 'cancelled' });
    });
  }

  private handleResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      if (this.settled) return;
      const first = !this.provisionalSeen;
      this.provisionalSeen = true;
      if (first && this.cancelled) this.sendCancel();
      for (const cb of this.provisionalCbs) cb(response);
      return;
    }
    if (status >= 300) {
      if (this.settled) return;
      if (this.retryWithCredentials(response)) return;
      const outcome: InviteOutcome = this.cancelled && status === 487 ? { kind: 'cancelled', response } : { kind: 'rejected', response };
      const failureCbs = this.failureCbs;
      this.finish(outcome);
      for (const cb of failureCbs) cb(response);
      return;
    }
    this.on2xx(response);
  }

  /** One authenticated retry per INVITE; a CANCEL pending on the new transaction waits for its first provisional (§9.1). */
  private retryWithCredentials(response: SipResponse): boolean {
    const { request, host } = this;
    if (this.authenticated || this.cancelled || request === undefined || host === undefined) return false;
    const next = host.authenticate(request, response);
    if (next === undefined) return false;
    this.authenticated = true;
    this.request = next;
    this.provisionalSeen = false;
    host.resend(next);
    return true;
  }

  private on2xx(response: SipResponse): void {
    const ctx = this.twoXxContext();
    if (ctx === undefined) return;
    const wanted = !this.settled && !this.cancelled;
    const dialog = acknowledge2xx(ctx, response, wanted);
    if (dialog === undefined) return;
    if (wanted) {
      const acceptedCbs = this.acceptedCbs;
      this.finish({ kind: 'accepted', dialog, response });
      for (const cb of acceptedCbs) cb(dialog, response);
    } else if (!this.settled) {
      this.finish({ kind: 'cancelled', response });
    }
  }

  private twoXxContext(): TwoXxContext | undefined {
    const { request, host } = this;
    return request === undefined || host === undefined ? undefined : { request, host, dialogs: this.dialogs, answer: this.answer };
  }

  handleFailure(error: SipTransactionError): void {
    if (this.settled) return;
    const failureCbs = this.failureCbs;
    this.finish({ kind: 'failed', error });
    for (const cb of failureCbs) cb(error);
  }

  private finish(outcome: InviteOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.provisionalCbs = [];
    this.acceptedCbs = [];
    this.failureCbs = [];
    this.stopAbandonTimer?.();
    this.relay.to = lateResponses(this.twoXxContext());
    this.settle(outcome);
  }
}
