import type { Dialog } from '../dialog/dialog';
import type { ReinviteOptions } from '../dialog/dialog.types';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { SipTransactionError } from '../transaction/transaction.errors';
import { startTimer } from '../transaction/timers';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import { ForkDialogs, IGNORE_RESPONSES, LateResponses, type TwoXxContext, TransactionRelay, acknowledge2xx } from './invite-2xx';
import { PrackSender } from './prack-sender';

export type InviteOutcome =
  | { kind: 'accepted'; dialog: Dialog; response: SipResponse }
  | { kind: 'rejected'; response: SipResponse }
  /** cancel() won, or a 2xx raced it (that dialog was ACKed and BYEd at once). */
  | { kind: 'cancelled'; response?: SipResponse }
  | { kind: 'failed'; error: SipTransactionError };

/** Session-interval retries per INVITE: each must raise the interval, so two are plenty. */
const MAX_422_RETRIES = 2;

/** What an OutgoingInvite needs from the UA core. */
export interface OutgoingInviteHost {
  readonly longTimeout: number;
  createUacDialog(invite: SipRequest, response: SipResponse): Dialog;
  /** The early dialog a reliable provisional opens (RFC 3262), registered so its requests match. */
  createEarlyDialog(invite: SipRequest, response: SipResponse): Dialog;
  /** The INVITE to resend answering `422 Session Interval Too Small`, or undefined to surface the response. */
  retryIntervalTooSmall(invite: SipRequest, response: SipResponse): SipRequest | undefined;
  sendCancel(invite: SipRequest, reason: string | undefined): void;
  abandon(invite: SipRequest): void;
  /** The INVITE to resend answering a 401/407 challenge, or undefined to surface the response. */
  authenticate(invite: SipRequest, response: SipResponse): SipRequest | undefined;
  /** Starts a new INVITE client transaction for the retried request. */
  resend(invite: SipRequest): void;
}

/** The UAC side of one INVITE: provisional (PRACKed when reliable), forked and late 2xx, CANCEL, retries, the ACK for 2xx. */
export class OutgoingInvite {
  readonly final: Promise<InviteOutcome>;
  cancelled = false;
  request: SipRequest | undefined;
  host: OutgoingInviteHost | undefined;
  private settle!: (outcome: InviteOutcome) => void;
  private settled = false;
  private provisionalSeen = false;
  private authenticated = false;
  private intervalRetries = 0;
  private pracks: PrackSender | undefined;
  private cancelReason: string | undefined;
  private readonly dialogs = new ForkDialogs();
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
      if (!this.acknowledgeProvisional(response)) return;
      const first = !this.provisionalSeen;
      this.provisionalSeen = true;
      if (first && this.cancelled) this.sendCancel();
      for (const cb of this.provisionalCbs) cb(response);
      return;
    }
    if (status >= 300) {
      if (this.settled) return;
      if (this.retryWithCredentials(response) || this.retryIntervalTooSmall(response)) return;
      const outcome: InviteOutcome = this.cancelled && status === 487 ? { kind: 'cancelled', response } : { kind: 'rejected', response };
      const failureCbs = this.failureCbs;
      this.finish(outcome);
      for (const cb of failureCbs) cb(response);
      return;
    }
    this.on2xx(response);
  }

  /** RFC 3262: a reliable provisional is PRACKed; false for a retransmission or a gap, which the application never sees. */
  private acknowledgeProvisional(response: SipResponse): boolean {
    const { request, host } = this;
    if (request === undefined || host === undefined) return true;
    this.pracks ??= new PrackSender((invite, r) => host.createEarlyDialog(invite, r));
    return this.pracks.receive(request, response);
  }

  /** One authenticated retry per INVITE; a CANCEL pending on the new transaction waits for its first provisional (§9.1). */
  private retryWithCredentials(response: SipResponse): boolean {
    const { request, host } = this;
    if (this.authenticated || this.cancelled || request === undefined || host === undefined) return false;
    const next = host.authenticate(request, response);
    if (next === undefined) return false;
    this.authenticated = true;
    this.resend(next);
    return true;
  }

  /** RFC 4028 §7.2: a 422 is answered by asking again for at least its Min-SE. */
  private retryIntervalTooSmall(response: SipResponse): boolean {
    const { request, host } = this;
    if (this.intervalRetries >= MAX_422_RETRIES || this.cancelled || request === undefined || host === undefined) return false;
    const next = host.retryIntervalTooSmall(request, response);
    if (next === undefined) return false;
    this.intervalRetries++;
    this.resend(next);
    return true;
  }

  /** A new INVITE transaction: the early dialogs (and RSeq spaces) of the old one are gone. */
  private resend(next: SipRequest): void {
    this.pracks?.close();
    this.pracks = undefined;
    this.request = next;
    this.provisionalSeen = false;
    this.host?.resend(next);
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
    if (request === undefined || host === undefined) return undefined;
    return { seq: request.cseq?.seq ?? 1, host, dialogs: this.dialogs, answer: this.answer, early: this.pracks, invite: () => request };
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
    const { request, host } = this;
    // a fork's late 2xx is ACKed and BYEd at once: its dialog needs the INVITE's identity only, and no early dialogs
    this.relay.to = request === undefined || host === undefined ? IGNORE_RESPONSES : new LateResponses(request, request.cseq?.seq ?? 1, host, this.dialogs, this.answer);
    // early dialogs no 2xx confirmed end with the INVITE
    this.pracks?.close();
    this.pracks = undefined;
    this.settle(outcome);
  }
}
