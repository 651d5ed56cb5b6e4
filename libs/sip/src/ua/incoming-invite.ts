import type { Dialog } from '../dialog/dialog';
import type { SipRequest } from '../message/sip-message';
import { SipTransactionError } from '../transaction/transaction.errors';
import { startTimer } from '../transaction/timers';
import type { SipTimers } from '../transaction/timers';
import { IncomingRequestImpl, ReplyOptions, SipBody } from './incoming-request';

export interface AcceptOptions {
  body?: SipBody;
  contentType?: string;
  headers?: Array<[string, string]>;
}

/** What an IncomingInvite needs from the UA core. */
export interface IncomingInviteHost {
  readonly timers: SipTimers;
  isReliable(): boolean;
  /** Creates and registers the UAS dialog for this INVITE, with the given local tag. */
  createUasDialog(invite: IncomingInvite): Dialog;
}

type CancelCallback = () => void;

/** An INVITE (initial or re-INVITE) waiting for the application's answer. */
export class IncomingInvite extends IncomingRequestImpl {
  cancelled = false;
  /** The ACK for our 2xx once it arrived (its body is the answer for an offer made in the 2xx). */
  ack: SipRequest | undefined;
  /** Set for a re-INVITE: the dialog it belongs to. */
  dialog: Dialog | undefined;
  host!: IncomingInviteHost;
  private readonly cancelCallbacks: CancelCallback[] = [];

  progress(status: 180 | 183, opts: ReplyOptions = {}): Promise<void> {
    if (this.replied || this.cancelled) return Promise.resolve();
    return this.reply(status, opts);
  }

  reject(status: number, opts: ReplyOptions = {}): Promise<void> {
    if (status < 300 || status > 699) return Promise.reject(new SipTransactionError('sip_bad_request', `reject() needs a 3xx-6xx status, got ${status}`));
    return this.reply(status, opts);
  }

  onCancel(cb: CancelCallback): void {
    if (this.cancelled) cb();
    else this.cancelCallbacks.push(cb);
  }

  /** §9.2: CANCEL of a pending INVITE → 487 to the INVITE, then the application is told. */
  cancel(): void {
    if (this.replied || this.cancelled) return;
    this.cancelled = true;
    void this.reply(487);
    for (const cb of this.cancelCallbacks.splice(0)) cb();
  }

  /** Sends 2xx and retransmits it (T1 doubling to T2, unreliable transports) until the ACK; no ACK in 64*T1 → BYE and rejection. */
  accept(opts: AcceptOptions = {}): Promise<Dialog> {
    if (this.replied || this.cancelled) return Promise.reject(new SipTransactionError('sip_bad_request', 'INVITE already answered or cancelled'));
    const dialog = this.dialog ?? this.host.createUasDialog(this);
    this.localTag = dialog.localTag;
    const response = this.buildResponse(200, { body: opts.body, contentType: opts.contentType, headers: opts.headers });
    const seq = this.request.cseq?.seq ?? 0;
    const { T1, T2 } = this.host.timers;
    return new Promise<Dialog>((resolve, reject) => {
      let stopRetransmit: () => void = () => undefined;
      let interval = T1;
      const retransmit = (): void => {
        void this.tx.respond(response);
        interval = Math.min(interval * 2, T2);
        stopRetransmit = startTimer(interval, retransmit);
      };
      const stopGiveUp = startTimer(64 * T1, () => {
        stopRetransmit();
        if (dialog.pendingAck === undefined) return;
        dialog.pendingAck = undefined;
        reject(new SipTransactionError('sip_no_ack', 'no ACK for 2xx within 64*T1', { callId: dialog.callId }));
        if (dialog.state !== 'terminated') dialog.bye().catch(() => dialog.terminate('no_ack'));
      });
      const finish = (ack: SipRequest | undefined): void => {
        stopRetransmit();
        stopGiveUp();
        this.ack = ack;
        resolve(dialog);
      };
      dialog.pendingAck = { cseq: seq, onAck: finish };
      // a BYE may overtake a lost ACK: the 2xx clearly arrived, so the accept succeeded
      dialog.onTerminated(() => finish(undefined));
      void this.tx.respond(response);
      if (!this.host.isReliable()) stopRetransmit = startTimer(interval, retransmit);
    });
  }
}
