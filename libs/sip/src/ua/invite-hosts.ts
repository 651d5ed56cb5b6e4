import { Dialog } from '../dialog/dialog';
import type { DialogLayer } from '../dialog/dialog-layer';
import type { DialogCore } from '../dialog/dialog.types';
import type { SessionTimerConfig } from '../dialog/session-timer';
import { createCancel } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipTimers } from '../transaction/timers';
import type { TransactionLayer } from '../transaction/transaction-layer';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import type { SipSource, SipTarget, SipTransportLayer } from '../transport/transport.types';
import { contactFor, uacDialogInit, uasDialogInit } from './dialog-factory';
import { IGNORE_RESPONSES } from './invite-2xx';
import type { IncomingInviteHost } from './incoming-invite';
import type { OutgoingInviteHost } from './outgoing-invite';
import { intervalTooSmallRetry } from './session-retry';
import type { InviteOptions } from './sip-stack.types';
import { authenticatedRetry, isChallenge } from './uac-auth';

/** The parts of the UA core an INVITE (either way) works with. */
export interface InviteHostContext {
  core: DialogCore;
  dialogs: DialogLayer;
  transactions: TransactionLayer;
  transport: SipTransportLayer;
  timers: SipTimers;
  sessionTimer: SessionTimerConfig | undefined;
  isClosed(): boolean;
}

export function incomingInviteHost(ctx: InviteHostContext, source: SipSource): IncomingInviteHost {
  return {
    timers: ctx.timers,
    sessionTimer: ctx.sessionTimer,
    isReliable: () => ctx.transport.isReliable(source.protocol),
    createUasDialog: (invite, state) => {
      const dialog = new Dialog(ctx.core, uasDialogInit(invite.request, source, invite.localTag, contactFor(ctx.transport, source.protocol), state));
      ctx.dialogs.add(dialog);
      return dialog;
    },
  };
}

/**
 * Built apart from the OutgoingInvite: the host outlives it in the transaction (Timer M) and must not keep its outcome.
 * One object, not a closure per method: every INVITE keeps one. It keeps the credentials, not the whole options.
 */
class UacInviteHost implements OutgoingInviteHost {
  constructor(
    private readonly ctx: InviteHostContext,
    private readonly target: SipTarget,
    private readonly contact: string,
    private readonly credentials: InviteOptions['credentials'],
    private readonly user: ClientTransactionUser,
  ) {}

  get longTimeout(): number {
    return 64 * this.ctx.timers.T1;
  }

  createUacDialog(invite: SipRequest, response: SipResponse): Dialog {
    return this.dialogFor(invite, response, 'confirmed');
  }

  createEarlyDialog(invite: SipRequest, response: SipResponse): Dialog {
    return this.dialogFor(invite, response, 'early');
  }

  sendCancel(invite: SipRequest, reason: string | undefined): void {
    const cancel = createCancel(invite, reason !== undefined ? [['Reason', reason]] : undefined);
    this.ctx.transactions.send(cancel, this.target, IGNORE_RESPONSES, true);
  }

  abandon(invite: SipRequest): void {
    this.ctx.transactions.abandon(invite);
  }

  authenticate(invite: SipRequest, response: SipResponse): SipRequest | undefined {
    if (this.credentials === undefined || this.ctx.isClosed() || !isChallenge(response)) return undefined;
    return authenticatedRetry(invite, response, this.credentials);
  }

  retryIntervalTooSmall(invite: SipRequest, response: SipResponse): SipRequest | undefined {
    return this.ctx.sessionTimer === undefined || this.ctx.isClosed() ? undefined : intervalTooSmallRetry(invite, response);
  }

  resend(invite: SipRequest): void {
    this.ctx.transactions.send(invite, this.target, this.user);
  }

  private dialogFor(invite: SipRequest, response: SipResponse, state: 'early' | 'confirmed'): Dialog {
    const dialog = new Dialog(this.ctx.core, uacDialogInit(invite, response, this.target, this.contact, state));
    this.ctx.dialogs.add(dialog);
    return dialog;
  }
}

export function outgoingInviteHost(ctx: InviteHostContext, target: SipTarget, contact: string, opts: InviteOptions, user: ClientTransactionUser): OutgoingInviteHost {
  return new UacInviteHost(ctx, target, contact, opts.credentials, user);
}
