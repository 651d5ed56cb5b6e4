import type { IncomingInvite } from '../ua/incoming-invite';
import type { IncomingRequestImpl } from '../ua/incoming-request';
import type { Dialog } from './dialog';
import type { SessionAnswer, SessionChangeHandler } from './dialog.types';
import { uasSession, uasSessionHeaders } from './session-timer';

/** The answer of a handler that failed: the offer could not be met. */
const NOT_ACCEPTABLE: SessionAnswer = { kind: 'refuse', status: 488 };

/** An UPDATE's 2xx: the answer in the body (an offer always gets one, never a bare 200) and the session interval. */
function answerUpdate(dialog: Dialog, incoming: IncomingRequestImpl, sdp: string): Promise<void> {
  const config = dialog.core.sessionTimer;
  const decision = config !== undefined ? uasSession(incoming.request, config) : ({ kind: 'none' } as const);
  dialog.remoteSdp = incoming.request.body.toString();
  dialog.localSdp = sdp;
  const sent = incoming.reply(200, { headers: uasSessionHeaders(decision), body: sdp });
  if (config !== undefined) dialog.timeSession(decision.kind === 'timer' ? decision.session : undefined);
  return sent;
}

/**
 * The peer changed the session: the handler (the application) produces the answer, while the dialog counts as
 * answering an offer, so a second one gets 500 with Retry-After and our own re-INVITEs wait (RFC 3261 §14.2).
 */
export async function relaySessionChange(dialog: Dialog, incoming: IncomingRequestImpl, handler: SessionChangeHandler): Promise<void> {
  const { request } = incoming;
  const method = request.method === 'UPDATE' ? 'UPDATE' : 'INVITE';
  dialog.invites.incoming = true;
  try {
    const answer = await handler.offer({ method, sdp: request.body.toString() }).catch(() => NOT_ACCEPTABLE);
    if (dialog.state === 'terminated') return;
    if (answer.kind === 'refuse') {
      const status = answer.status >= 300 && answer.status <= 699 ? answer.status : 488;
      await incoming.reply(status, { ...(answer.reason !== undefined ? { reason: answer.reason } : {}), ...(status === 500 ? { headers: [['Retry-After', '1']] } : {}) });
    } else if (method === 'UPDATE') {
      await answerUpdate(dialog, incoming, answer.sdp);
    } else {
      await (incoming as IncomingInvite).accept({ body: answer.sdp });
    }
  } catch {
    // the dialog ended or the ACK never came: the INVITE server transaction has already dealt with it
  } finally {
    dialog.invites.incoming = false;
    dialog.invites.next();
  }
}

/** An offerless re-INVITE answered with our SDP in force: the peer's answer arrives in the ACK and goes to the handler when it changed anything. */
export async function acceptOfferless(dialog: Dialog, incoming: IncomingInvite, handler: SessionChangeHandler | undefined): Promise<void> {
  const before = dialog.remoteSdp;
  await incoming.accept({ body: dialog.localSdp });
  const answer = incoming.ack?.body.toString() ?? '';
  if (handler?.answered !== undefined && answer.length > 0 && !sameOrigin(answer, before)) handler.answered(answer);
}

/** RFC 3264 §8: the o= line (session id and version) names one version of a session description. */
export function sameOrigin(sdp: string, current: string | undefined): boolean {
  if (current === undefined) return false;
  const origin = (text: string): string | undefined => /^o=.*$/m.exec(text)?.[0]?.trim();
  const a = origin(sdp);
  return a !== undefined && a === origin(current);
}
