import type { Dialog } from '../dialog/dialog';
import type { ReinviteOptions } from '../dialog/dialog.types';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { SipTransactionError } from '../transaction/transaction.errors';
import { startTimer } from '../transaction/timers';
import type { ClientTransactionUser } from '../transaction/transaction.types';

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
  private readonly provisionalCbs: Array<(response: SipResponse) => void> = [];
  private readonly acceptedCbs: Array<(dialog: Dialog, response: SipResponse) => void> = [];
  private readonly failureCbs: Array<(failure: SipResponse | SipTransactionError) => void> = [];

  /** What the INVITE client transaction reports to. */
  readonly transactionUser: ClientTransactionUser = {
    onResponse: (response) => this.handleResponse(response),
    onFailure: (error) => this.handleFailure(error),
  };

  constructor(
    readonly callId: string,
    private readonly answer?: ReinviteOptions['answer'],
  ) {
    this.final = new Promise((resolve) => (this.settle = resolve));
  }

  onProvisional(cb: (response: SipResponse) => void): this {
    this.provisionalCbs.push(cb);
    return this;
  }

  onAccepted(cb: (dialog: Dialog, response: SipResponse) => void): this {
    this.acceptedCbs.push(cb);
    return this;
  }

  onFailure(cb: (failure: SipResponse | SipTransactionError) => void): this {
    this.failureCbs.push(cb);
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
    startTimer(host.longTimeout, () => {
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
      this.finish(outcome);
      for (const cb of this.failureCbs) cb(response);
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
    const { request, host } = this;
    const tag = response.toTag;
    if (request === undefined || host === undefined || tag === undefined) return;
    const seq = request.cseq?.seq ?? 1;
    const known = this.dialogs.get(tag);
    if (known !== undefined) {
      known.resendAck(seq);
      return;
    }
    const dialog = host.createUacDialog(request, response);
    this.dialogs.set(tag, dialog);
    const wanted = !this.settled && !this.cancelled;
    void dialog.acknowledge(seq, response, this.answer).then(
      () => {
        if (wanted) return;
        // a second fork, or a 2xx that raced our CANCEL: ACK then BYE (§13.2.2.4)
        dialog.bye().catch(() => undefined);
      },
      // no answer for the 2xx's offer: the ACK still goes out (without one), then the call is ended (RFC 3261 §13.2.2.4)
      () => dialog.acknowledge(seq, response).then(() => dialog.bye()).catch(() => undefined),
    );
    if (wanted) {
      this.finish({ kind: 'accepted', dialog, response });
      for (const cb of this.acceptedCbs) cb(dialog, response);
    } else if (!this.settled) {
      this.finish({ kind: 'cancelled', response });
    }
  }

  handleFailure(error: SipTransactionError): void {
    if (this.settled) return;
    this.finish({ kind: 'failed', error });
    for (const cb of this.failureCbs) cb(error);
  }

  private finish(outcome: InviteOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(outcome);
  }
}
