import type { SipResponse } from '../message/sip-message';
import type { IncomingInvite } from '../ua/incoming-invite';
import type { IncomingRequestImpl } from '../ua/incoming-request';
import type { Dialog } from './dialog';
import { acceptOfferless, relaySessionChange, sameOrigin } from './session-change';
import { readMinSE, uasSession, uasSessionHeaders } from './session-timer';

/** RFC 3261 §14.1: after a 491 the owner of the Call-ID retries 2.1-4 s later, the other side 0-2 s; 2-4 s suits both. */
const GLARE_RETRY_MS = 2000;
const glareDelay = (): number => GLARE_RETRY_MS + Math.floor(Math.random() * GLARE_RETRY_MS);

/** RFC 3264 §8: an offer whose o= line (session id and version) is the one in force changes nothing. */
export function sameSession(offer: string, current: string | undefined): boolean {
  return sameOrigin(offer, current);
}

/**
 * We are the refresher and half the interval passed (RFC 4028 §7.4): an UPDATE without a body when the peer
 * allows UPDATE, else a re-INVITE re-offering our session description unchanged.
 */
export function refreshSession(dialog: Dialog): void {
  if (dialog.state !== 'confirmed') return;
  if (dialog.inviteInProgress || dialog.pendingAck !== undefined) {
    dialog.session.retryRefresh(glareDelay());
    return;
  }
  const viaUpdate = dialog.remoteAllow.has('UPDATE') || dialog.localSdp === undefined;
  const sent = viaUpdate ? dialog.request('UPDATE') : dialog.reinvite({ body: dialog.localSdp });
  sent.then(
    (response) => afterRefresh(dialog, response, viaUpdate),
    // §10: a refresh that timed out ends the session
    () => dialog.expire(),
  );
}

/** A 2xx already restarted the timers (Dialog.sessionSettled); the rest decides whether to retry or end. */
function afterRefresh(dialog: Dialog, response: SipResponse, viaUpdate: boolean): void {
  const status = response.status;
  if (status < 300 || dialog.state !== 'confirmed') return;
  if (status === 491 || (status === 500 && response.headers.has('retry-after'))) {
    dialog.session.retryRefresh(glareDelay());
    return;
  }
  const current = dialog.session.current;
  const minSE = readMinSE(response);
  if (status === 422 && current !== undefined && minSE !== undefined && minSE > current.interval) {
    dialog.session.current = { ...current, interval: minSE };
    dialog.session.retryRefresh(0);
    return;
  }
  if (status === 408 || status === 481) {
    dialog.expire();
    return;
  }
  if (viaUpdate && (status === 405 || status === 501) && dialog.localSdp !== undefined) {
    dialog.remoteAllow = new Set([...dialog.remoteAllow].filter((m) => m !== 'UPDATE'));
    dialog.session.retryRefresh(0);
  }
  // any other refusal: the expiry timer ends the session unless a later refresh gets through
}

/**
 * A re-INVITE or UPDATE no application request handler took. A session refresh (our peer's session unchanged,
 * an UPDATE without offer) is answered at once with our session description; an offerless re-INVITE gets that
 * description as the offer, its answer in the ACK going to the session handler. A real change goes to the
 * session handler (a B2BUA relays it to the other leg); without one it is refused with 488.
 */
export function answerSessionRequest(dialog: Dialog, incoming: IncomingRequestImpl): void {
  const { request } = incoming;
  const offer = request.body.toString();
  const handler = dialog.sessionHandler;
  const refresh = offer.length === 0 || sameSession(offer, dialog.remoteSdp);
  if (!refresh && handler !== undefined) {
    void relaySessionChange(dialog, incoming, handler);
    return;
  }
  if (!refresh || (dialog.localSdp === undefined && (offer.length > 0 || request.method === 'INVITE'))) {
    void incoming.reply(488);
    return;
  }
  if (request.method === 'INVITE') {
    const accepted = offer.length === 0 ? acceptOfferless(dialog, incoming as IncomingInvite, handler) : (incoming as IncomingInvite).accept({ body: dialog.localSdp });
    accepted.catch(() => undefined);
    return;
  }
  const config = dialog.core.sessionTimer;
  const decision = config !== undefined ? uasSession(request, config) : ({ kind: 'none' } as const);
  void incoming.reply(200, { headers: uasSessionHeaders(decision), ...(offer.length > 0 ? { body: dialog.localSdp } : {}) });
  if (config !== undefined) dialog.timeSession(decision.kind === 'timer' ? decision.session : undefined);
}
