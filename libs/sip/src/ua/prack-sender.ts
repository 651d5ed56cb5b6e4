import type { Dialog } from '../dialog/dialog';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { optionTags } from './extensions';
import { readRSeq } from './reliable-provisionals';

/** Creates and registers the early dialog a reliable provisional opens (RFC 3262 §4: the PRACK is sent in it). */
export type EarlyDialogFactory = (invite: SipRequest, response: SipResponse) => Dialog;

/**
 * The UAC side of RFC 3262: each reliable provisional is PRACKed once, in RSeq order, per early dialog (To tag).
 * A retransmission or an out-of-order one is discarded: it neither reaches the application nor gets a PRACK.
 */
export class PrackSender {
  private readonly early = new Map<string, { dialog: Dialog; rseq: number }>();

  constructor(private readonly createEarlyDialog: EarlyDialogFactory) {}

  /** True when the provisional is new (the application hears of it); a reliable one is PRACKed here. */
  receive(invite: SipRequest, response: SipResponse): boolean {
    if (!optionTags(response, 'require').includes('100rel')) return true;
    const rseq = readRSeq(response);
    const tag = response.toTag;
    const cseq = invite.cseq;
    // without RSeq or a To tag it cannot be acknowledged: treat it as unreliable
    if (rseq === undefined || tag === undefined || cseq === undefined) return true;
    let stream = this.early.get(tag);
    if (stream !== undefined && rseq !== stream.rseq + 1) return false;
    if (stream === undefined || stream.dialog.state === 'terminated') {
      stream = { dialog: this.createEarlyDialog(invite, response), rseq };
      this.early.set(tag, stream);
    }
    stream.rseq = rseq;
    stream.dialog.refreshTarget(response);
    if (response.body.length > 0) stream.dialog.remoteSdp = response.bodyText;
    // the PRACK's own transaction retransmits it; its answer changes nothing here
    stream.dialog.request('PRACK', { headers: [['RAck', `${rseq} ${cseq.seq} ${cseq.method}`]] }).catch(() => undefined);
    return true;
  }

  /** The early dialog of a To tag, for its 2xx to confirm. */
  dialogOf(tag: string): Dialog | undefined {
    const dialog = this.early.get(tag)?.dialog;
    return dialog?.state === 'early' ? dialog : undefined;
  }

  /** Ends every early dialog no 2xx confirmed (the INVITE settled or is being retried). */
  close(): void {
    for (const { dialog } of this.early.values()) if (dialog.state === 'early') dialog.terminate('rejected');
    this.early.clear();
  }
}
