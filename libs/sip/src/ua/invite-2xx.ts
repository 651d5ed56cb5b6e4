import type { Dialog } from '../dialog/dialog';
import type { ReinviteOptions } from '../dialog/dialog.types';
import { ownedString } from '../message/owned-string';
import { SipHeaders } from '../message/sip-headers';
import { SipRequest, type SipResponse } from '../message/sip-message';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import type { OutgoingInviteHost } from './outgoing-invite';

/** The dialogs an INVITE's 2xx created, by To tag: nearly always one, so a Map is made only for a second fork. */
export class ForkDialogs {
  private firstTag: string | undefined;
  private first: Dialog | undefined;
  private more: Map<string, Dialog> | undefined;

  get(tag: string): Dialog | undefined {
    return tag === this.firstTag ? this.first : this.more?.get(tag);
  }

  set(tag: string, dialog: Dialog): void {
    // the response's To tag is a slice of its whole text: the dialog's own copy is kept instead
    const own = dialog.remoteTag === tag ? dialog.remoteTag : ownedString(tag);
    if (this.firstTag === undefined || this.firstTag === tag) {
      this.firstTag = own;
      this.first = dialog;
    } else (this.more ??= new Map()).set(own, dialog);
  }
}

/** What a 2xx to our INVITE needs, and nothing of the application's: it outlives the call for Timer M (64*T1). */
export interface TwoXxContext {
  /** The INVITE's CSeq number (its ACK's). */
  readonly seq: number;
  readonly host: OutgoingInviteHost;
  readonly dialogs: ForkDialogs;
  readonly answer: ReinviteOptions['answer'] | undefined;
  /** Early dialogs opened by reliable provisionals, confirmed by their 2xx. */
  readonly early?: { dialogOf(tag: string): Dialog | undefined };
  /** The INVITE a new fork's dialog is built from (§12.1.2). */
  invite(response: SipResponse): SipRequest;
}

/**
 * ACKs a 2xx (§13.2.2.4): a retransmission gets the same ACK again and yields undefined; a new To tag gets a dialog,
 * which is BYEd right after its ACK unless `wanted`.
 */
export function acknowledge2xx(ctx: TwoXxContext, response: SipResponse, wanted: boolean): Dialog | undefined {
  const tag = response.toTag;
  if (tag === undefined) return undefined;
  const seq = ctx.seq;
  const known = ctx.dialogs.get(tag);
  if (known !== undefined) {
    known.resendAck(seq);
    return undefined;
  }
  const early = ctx.early?.dialogOf(tag);
  early?.confirm(response);
  const dialog = early ?? ctx.host.createUacDialog(ctx.invite(response), response);
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

/**
 * What a late fork's dialog is built from (§12.1.2: Call-ID, From, CSeq, Request-URI). The 2xx carries the first three
 * as our INVITE had them (§8.2.6.2), so only the Request-URI is kept (the remote target when the 2xx has no Contact).
 */
export function inviteForLateFork(uri: string, response: SipResponse): SipRequest {
  const keep: Array<[string, string]> = [];
  for (const name of ['Call-ID', 'From', 'CSeq']) {
    const value = response.headers.get(name);
    if (value !== undefined) keep.push([name, ownedString(value)]);
  }
  return new SipRequest('INVITE', uri, SipHeaders.from(keep));
}

/**
 * The user of an INVITE transaction once the INVITE settled, until Timer M: only 2xx matter (retransmissions, other
 * forks), which are ACKed (and a fork's BYEd at once). One object with no closures, and no early dialogs.
 */
export class LateResponses implements ClientTransactionUser, TwoXxContext {
  private readonly uri: string;

  constructor(
    invite: SipRequest,
    readonly seq: number,
    readonly host: OutgoingInviteHost,
    readonly dialogs: ForkDialogs,
    readonly answer: ReinviteOptions['answer'] | undefined,
  ) {
    this.uri = ownedString(invite.uri);
  }

  invite(response: SipResponse): SipRequest {
    return inviteForLateFork(this.uri, response);
  }

  onResponse(response: SipResponse): void {
    if (response.status >= 200 && response.status < 300) acknowledge2xx(this, response, false);
  }

  onFailure(): void {
    return undefined;
  }
}

/** A settled INVITE that never reached the wire: nothing can answer it. */
export const IGNORE_RESPONSES: ClientTransactionUser = { onResponse: () => undefined, onFailure: () => undefined };

/** The user the INVITE transactions hold: the OutgoingInvite until it settles, then `LateResponses` (so the outcome can be collected). */
export class TransactionRelay implements ClientTransactionUser {
  constructor(public to: ClientTransactionUser) {}

  onResponse(response: SipResponse): void {
    this.to.onResponse(response);
  }

  onFailure(error: Parameters<ClientTransactionUser['onFailure']>[0]): void {
    this.to.onFailure(error);
  }
}
