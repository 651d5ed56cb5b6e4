import type { Dialog } from '../dialog/dialog';
import type { ReinviteOptions } from '../dialog/dialog.types';
import { ownedString } from '../message/owned-string';
import { SipHeaders } from '../message/sip-headers';
import { SipRequest, type SipResponse } from '../message/sip-message';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import type { OutgoingInviteHost } from './outgoing-invite';

/** What a 2xx to our INVITE needs, and nothing of the application's: it outlives the call for Timer M (64*T1). */
export interface TwoXxContext {
  request: SipRequest;
  host: OutgoingInviteHost;
  /** Dialogs created so far, by To tag. */
  dialogs: Map<string, Dialog>;
  answer: ReinviteOptions['answer'] | undefined;
  /** Early dialogs opened by reliable provisionals, confirmed by their 2xx. */
  early?: { dialogOf(tag: string): Dialog | undefined };
}

/**
 * ACKs a 2xx (§13.2.2.4): a retransmission gets the same ACK again and yields undefined; a new To tag gets a dialog,
 * which is BYEd right after its ACK unless `wanted`.
 */
export function acknowledge2xx(ctx: TwoXxContext, response: SipResponse, wanted: boolean): Dialog | undefined {
  const tag = response.toTag;
  if (tag === undefined) return undefined;
  const seq = ctx.request.cseq?.seq ?? 1;
  const known = ctx.dialogs.get(tag);
  if (known !== undefined) {
    known.resendAck(seq);
    return undefined;
  }
  const early = ctx.early?.dialogOf(tag);
  early?.confirm(response);
  const dialog = early ?? ctx.host.createUacDialog(ctx.request, response);
  ctx.dialogs.set(tag, dialog);
  if (wanted) dialog.startSession(response);
  void dialog.acknowledge(seq, response, ctx.answer).then(
    () => {
      // a second fork, or a 2xx that raced our CANCEL: ACK then BYE
      if (!wanted) dialog.bye().catch(() => undefined);
    },
    // no answer for the 2xx's offer: the ACK still goes out (without one), then the call is ended
    () => dialog.acknowledge(seq, response).then(() => dialog.bye()).catch(() => undefined),
  );
  return dialog;
}

/** What a late fork's dialog is built from (§12.1.2: Call-ID, From, CSeq, Request-URI); the INVITE's other headers and body are let go. */
export function inviteForLateForks(invite: SipRequest): SipRequest {
  const keep: Array<[string, string]> = [];
  for (const name of ['Call-ID', 'From', 'CSeq']) {
    const value = invite.headers.get(name);
    if (value !== undefined) keep.push([name, ownedString(value)]);
  }
  return new SipRequest(invite.method, ownedString(invite.uri), SipHeaders.from(keep));
}

/** After the INVITE settled, only 2xx matter (retransmissions, other forks); everything else is ignored. */
export function lateResponses(settled: TwoXxContext | undefined): ClientTransactionUser {
  // a fork's late 2xx is ACKed and BYEd at once: its dialog needs the INVITE's identity only, and no early dialogs
  const ctx = settled === undefined ? undefined : { request: inviteForLateForks(settled.request), host: settled.host, dialogs: settled.dialogs, answer: settled.answer };
  return {
    onResponse: (response) => {
      if (ctx !== undefined && response.status >= 200 && response.status < 300) acknowledge2xx(ctx, response, false);
    },
    onFailure: () => undefined,
  };
}

/** The user the INVITE transactions hold: the OutgoingInvite until it settles, then `lateResponses` (so the outcome can be collected). */
export class TransactionRelay implements ClientTransactionUser {
  constructor(public to: ClientTransactionUser) {}

  onResponse(response: SipResponse): void {
    this.to.onResponse(response);
  }

  onFailure(error: Parameters<ClientTransactionUser['onFailure']>[0]): void {
    this.to.onFailure(error);
  }
}
