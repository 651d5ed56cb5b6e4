import { Dialog } from '../dialog/dialog';
import type { DialogLayer } from '../dialog/dialog-layer';
import type { DialogCore } from '../dialog/dialog.types';
import type { SessionTimerConfig } from '../dialog/session-timer';
import { createCancel } from '../message/sip-builders';
import type { SipTimers } from '../transaction/timers';
import type { TransactionLayer } from '../transaction/transaction-layer';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import type { SipSource, SipTarget, SipTransportLayer } from '../transport/transport.types';
import { contactFor, uacDialogInit, uasDialogInit } from './dialog-factory';
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

/** Built apart from the OutgoingInvite: the host outlives it in the transaction (Timer M) and must not keep its outcome. */
export function outgoingInviteHost(ctx: InviteHostContext, target: SipTarget, contact: string, opts: InviteOptions, user: ClientTransactionUser): OutgoingInviteHost {
  // the closures below share one scope: capture the credentials, not the whole options (headers, body, answer)
  const credentials = opts.credentials;
  const dialogFor = (state: 'early' | 'confirmed'): OutgoingInviteHost['createUacDialog'] => (invite, response) => {
    const dialog = new Dialog(ctx.core, uacDialogInit(invite, response, target, contact, state));
    ctx.dialogs.add(dialog);
    return dialog;
  };
  return {
    longTimeout: 64 * ctx.timers.T1,
    createUacDialog: dialogFor('confirmed'),
    createEarlyDialog: dialogFor('early'),
    sendCancel: (invite, reason) => {
      const cancel = createCancel(invite, reason !== undefined ? [['Reason', reason]] : undefined);
      ctx.transactions.send(cancel, target, { onResponse: () => undefined, onFailure: () => undefined }, true);
    },
    abandon: (invite) => ctx.transactions.abandon(invite),
    authenticate: (invite, response) => {
      if (credentials === undefined || ctx.isClosed() || !isChallenge(response)) return undefined;
      return authenticatedRetry(invite, response, credentials);
    },
    retryIntervalTooSmall: (invite, response) => (ctx.sessionTimer === undefined || ctx.isClosed() ? undefined : intervalTooSmallRetry(invite, response)),
    resend: (invite) => void ctx.transactions.send(invite, target, user),
  };
}
