import type { Dialog } from '../dialog/dialog';
import type { DialogState } from '../dialog/dialog.types';
import { type SessionTimerConfig, uasSession, uasSessionHeaders } from '../dialog/session-timer';
import type { SipRequest } from '../message/sip-message';
import { SipTransactionError } from '../transaction/transaction.errors';
import { startTimer } from '../transaction/timers';
import type { SipTimers } from '../transaction/timers';
import { optionTags } from './extensions';
import { IncomingRequestImpl, ReplyOptions, SipBody } from './incoming-request';
import { ReliableProvisionals, readRAck } from './reliable-provisionals';

export interface AcceptOptions {
  body?: SipBody;
  contentType?: string;
  headers?: Array<[string, string]>;
}

/** What an IncomingInvite needs from the UA core. */
export interface IncomingInviteHost {
  readonly timers: SipTimers;
  /** RFC 4028 settings; undefined when session timers are off. */
  readonly sessionTimer: SessionTimerConfig | undefined;
  isReliable(): boolean;
  /** Creates and registers the UAS dialog for this INVITE, with its local tag (early for reliable provisionals). */
  createUasDialog(invite: IncomingInvite, state?: DialogState): Dialog;
}

type CancelCallback = () => void;

/** An INVITE (initial or re-INVITE) waiting for the application's answer. */
export class IncomingInvite extends IncomingRequestImpl {
  cancelled = false;
  /** The ACK for our 2xx once it arrived (its body is the answer for an offer made in the 2xx). */
  ack: SipRequest | undefined;
  /** Set for a re-INVITE: the dialog it belongs to. */
  dialog: Dialog | undefined;
  /** PRACKs received for our reliable provisionals, in order (a PRACK may carry an answer). */
  readonly pracks: SipRequest[] = [];
  host!: IncomingInviteHost;
  private early: Dialog | undefined;
  private reliable: ReliableProvisionals | undefined;
  private readonly cancelCallbacks: CancelCallback[] = [];

  /** 180/183; reliable (RFC 3262) when the INVITE requires 100rel, or supports it and the response carries SDP. */
  progress(status: 180 | 183, opts: ReplyOptions = {}): Promise<void> {
    if (this.replied || this.cancelled) return Promise.resolve();
    const withSdp = opts.body !== undefined && opts.body.length > 0;
    const required = optionTags(this.request, 'require').includes('100rel');
    if (!required && !(withSdp && optionTags(this.request, 'supported').includes('100rel'))) return this.reply(status, opts);
    const dialog = this.provisionalDialog();
    const response = this.buildResponse(status, { ...opts, toTag: dialog.localTag, headers: [...(opts.headers ?? []), ['Require', '100rel']] });
    return this.reliableProvisionals(dialog).send(response, withSdp);
  }

  reject(status: number, opts: ReplyOptions = {}): Promise<void> {
    if (status < 300 || status > 699) return Promise.reject(new SipTransactionError('sip_bad_request', `reject() needs a 3xx-6xx status, got ${status}`));
    return this.reply(status, opts);
  }

  /** A final refusal ends reliable provisionals and the early dialog they opened. */
  override reply(status: number, opts: ReplyOptions = {}): Promise<void> {
    if (status >= 300 && !this.replied) {
      this.reliable?.stop();
      if (this.early !== undefined && this.early !== this.dialog) this.early.terminate('rejected');
    }
    return super.reply(status, opts);
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

  /**
   * Sends 2xx and retransmits it (T1 doubling to T2, unreliable transports) until the ACK; no ACK in 64*T1 → BYE and
   * rejection. Waits first for the PRACK of a reliable provisional that carried SDP (RFC 3262 §3). The 2xx names the
   * session interval (RFC 4028 §9), which starts when it is sent.
   */
  accept(opts: AcceptOptions = {}): Promise<Dialog> {
    const reliable = this.reliable;
    return reliable === undefined ? this.acceptNow(opts) : reliable.beforeFinal(true).then(() => this.acceptNow(opts));
  }

  private acceptNow(opts: AcceptOptions): Promise<Dialog> {
    if (this.replied || this.cancelled) return Promise.reject(new SipTransactionError('sip_bad_request', 'INVITE already answered or cancelled'));
    this.reliable?.stop();
    const dialog = this.dialog ?? this.early ?? this.host.createUasDialog(this);
    if (dialog.state === 'early') dialog.state = 'confirmed';
    this.localTag = dialog.localTag;
    const config = this.host.sessionTimer;
    const session = config !== undefined ? uasSession(this.request, config) : undefined;
    const headers = [...(opts.headers ?? []), ...(session !== undefined ? uasSessionHeaders(session) : [])];
    const response = this.buildResponse(200, { body: opts.body, contentType: opts.contentType, headers });
    if (this.request.body.length > 0) dialog.remoteSdp = this.request.bodyText;
    if (opts.body !== undefined && opts.body.length > 0) dialog.localSdp = opts.body.toString();
    if (session !== undefined) dialog.timeSession(session.kind === 'timer' ? session.session : undefined);
    return this.sendAccepted(dialog, response);
  }

  private sendAccepted(dialog: Dialog, response: ReturnType<IncomingRequestImpl['buildResponse']>): Promise<Dialog> {
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
      let forget: () => void = () => undefined;
      const finish = (ack: SipRequest | undefined): void => {
        // this closure holds the 2xx and the INVITE: the dialog must not keep it for the call's life
        forget();
        stopRetransmit();
        stopGiveUp();
        this.ack = ack;
        if (ack !== undefined && ack.body.length > 0) dialog.remoteSdp = ack.bodyText;
        resolve(dialog);
      };
      dialog.pendingAck = { cseq: seq, onAck: finish };
      // a BYE may overtake a lost ACK: the 2xx clearly arrived, so the accept succeeded
      forget = dialog.onTerminated(() => finish(undefined));
      void this.tx.respond(response);
      if (!this.host.isReliable()) stopRetransmit = startTimer(interval, retransmit);
    });
  }

  /** The dialog PRACKs arrive in: the re-INVITE's own, else an early one (a BYE on it ends the INVITE like a CANCEL). */
  private provisionalDialog(): Dialog {
    if (this.dialog !== undefined) return this.dialog;
    if (this.early === undefined) {
      const early = this.host.createUasDialog(this, 'early');
      this.early = early;
      early.onTerminated((reason) => {
        if (reason === 'bye_received') this.cancel();
      });
    }
    return this.early;
  }

  private reliableProvisionals(dialog: Dialog): ReliableProvisionals {
    if (this.reliable !== undefined) return this.reliable;
    const reliable = new ReliableProvisionals({
      T1: this.host.timers.T1,
      transmit: (response) => void this.tx.respond(response),
      onGiveUp: () => void this.reply(504, { reason: 'No PRACK Received' }),
    });
    this.reliable = reliable;
    const inviteSeq = this.request.cseq?.seq ?? 0;
    dialog.prackHandler = (incoming) => {
      const ok = reliable.prack(readRAck(incoming.request), inviteSeq);
      if (ok) this.pracks.push(incoming.request);
      void incoming.reply(ok ? 200 : 481);
    };
    return reliable;
  }
}
