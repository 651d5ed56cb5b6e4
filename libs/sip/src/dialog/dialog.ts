import { createRequest } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeNameAddr } from '../message/name-addr';
import { ownedString, ownedStrings } from '../message/owned-string';
import { serializeUri } from '../message/sip-uri';
import { newBranch } from '../transaction/branch';
import { SipTransactionError } from '../transaction/transaction.errors';
import type { SipTarget } from '../transport/transport.types';
import type { IncomingInvite } from '../ua/incoming-invite';
import type { IncomingRequestImpl } from '../ua/incoming-request';
import { dialogId } from './dialog-id';
import type { DialogCore, DialogInit, DialogRequestHandler, DialogRequestReceiver, DialogState, DialogTerminationReason, InDialogRequestOptions, ReinviteOptions, SessionChangeHandler } from './dialog.types';
import { InviteQueue } from './invite-queue';
import { ReinviteExchange } from './reinvite-exchange';
import { answerSessionRequest, refreshSession } from './session-refresh';
import { type SessionInterval, SessionTimer, type SessionTimerHooks, intervalFromResponse, sessionRequestHeaders } from './session-timer';

type TerminatedCallback = (reason: DialogTerminationReason) => void;

/** A peer that sent no Allow: one set for every such dialog (dialogs replace remoteAllow, never change it). */
const NO_ALLOW: ReadonlySet<string> = new Set();

/** A dialog without a route set: one list for every such dialog (dialogs replace routeSet, never change it). */
const NO_ROUTES: string[] = [];

/** Requests that refresh the remote target from their Contact (RFC 3261 §12.2.2, RFC 3311). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

/** The description in force when `next` says the same (a session refresh): the dialog keeps one string, not a copy per refresh. */
function kept(next: string, current: string | undefined): string {
  return current !== undefined && next === current ? current : next;
}

/** Allow and Supported for a session (re)negotiation we send, unless the caller set them already. */
export function capabilityHeaders(core: Pick<DialogCore, 'allow' | 'supported'>, present: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const has = (name: string): boolean => present.some(([h]) => h.toLowerCase() === name.toLowerCase());
  const out: Array<[string, string]> = [];
  if (!has('allow')) out.push(['Allow', core.allow()]);
  const supported = core.supported();
  if (!has('supported') && !has('k') && supported !== '') out.push(['Supported', supported]);
  return out;
}

/** One SIP dialog (RFC 3261 §12): sequencing, routing, in-dialog requests both ways, its session timer (RFC 4028). */
export class Dialog implements SessionTimerHooks {
  readonly id: string;
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localUri: string;
  readonly remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number;
  remoteSeq: number | undefined;
  state: DialogState;
  readonly localContact: string;
  /** The session descriptions in force: a session refresh re-offers ours unchanged. */
  localSdp: string | undefined;
  remoteSdp: string | undefined;
  remoteAllow: ReadonlySet<string>;
  /** UAS of a reliable provisional: where PRACKs of this (early) dialog go (RFC 3262). */
  prackHandler: ((incoming: IncomingRequestImpl) => void) | undefined;
  private readonly flow: SipTarget | undefined;
  // what a dialog may never use is made on first use: a held call keeps its dialogs for its whole life
  /** Method, handler, method, handler…: one flat array. */
  private handlers: Array<string | DialogRequestHandler | DialogRequestReceiver> | undefined;
  /** One callback as itself (the usual case: the call's leg), more as a list. */
  private terminatedCallbacks: TerminatedCallback | TerminatedCallback[] | undefined;
  private timer: SessionTimer | undefined;
  private queue: InviteQueue | undefined;
  /** UAS: the 2xx waiting for its ACK. */
  pendingAck: { cseq: number; onAck: (ack: SipRequest) => void } | undefined;
  /** UAC: the CSeq and body of the last ACK we sent; a 2xx retransmission gets it rebuilt rather than kept parsed for the call's life. */
  private lastAck: { cseq: number; body: Buffer | string | undefined; branch: string } | undefined;
  /** Our own re-INVITE sent and not finally answered yet (for glare: 491). */
  inviteInProgress = false;
  /** Who answers the peer's changes to the session (a B2BUA relays them); without one they get 488. */
  sessionHandler: SessionChangeHandler | undefined;

  constructor(
    readonly core: DialogCore,
    init: DialogInit,
  ) {
    // the values come out of parsed messages: copied, so the dialog does not keep those messages' text for its life
    this.callId = ownedString(init.callId);
    this.localTag = ownedString(init.localTag);
    this.remoteTag = ownedString(init.remoteTag);
    this.id = ownedString(dialogId(this.callId, this.localTag, this.remoteTag));
    this.localUri = ownedString(init.localUri);
    this.remoteUri = ownedString(init.remoteUri);
    this.remoteTarget = ownedString(init.remoteTarget);
    this.routeSet = init.routeSet.length === 0 ? NO_ROUTES : ownedStrings(init.routeSet);
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localContact = ownedString(init.localContact);
    this.flow = init.flow;
    this.state = init.state;
    this.localSdp = init.localSdp;
    this.remoteSdp = init.remoteSdp;
    this.remoteAllow = init.remoteAllow !== undefined && init.remoteAllow.length > 0 ? new Set(ownedStrings(init.remoteAllow)) : NO_ALLOW;
  }

  /** The session timer (RFC 4028), made when first asked for. */
  get session(): SessionTimer {
    return (this.timer ??= new SessionTimer(this));
  }

  /** Re-INVITEs in either direction, one at a time; ours queue behind whatever is in progress. */
  get invites(): InviteQueue {
    return (this.queue ??= new InviteQueue(this));
  }

  /** (Re)starts session timing on a negotiated interval, or stops it (undefined); no timer is made just to stop. */
  timeSession(session: SessionInterval | undefined): void {
    if (session !== undefined || this.timer !== undefined) this.session.start(session);
  }

  /** We are the refresher and half the interval passed (RFC 4028 §7.4). */
  refresh(): void {
    refreshSession(this);
  }

  /** §12.2.1.1: Request-URI = remote target, Route = route set, CSeq = local sequence (ACK reuses its INVITE's). */
  createRequest(method: string, opts: InDialogRequestOptions = {}, seq?: number): SipRequest {
    const headers: Array<[string, string]> = this.routeSet.map((route) => ['Route', route]);
    if (this.core.userAgent !== undefined && method !== 'ACK') headers.push(['User-Agent', this.core.userAgent]);
    headers.push(...(opts.headers ?? []));
    if (method === 'INVITE' || method === 'UPDATE') {
      const config = this.core.sessionTimer;
      const given = (name: string): boolean => headers.some(([h]) => h.toLowerCase() === name);
      // RFC 4028 §7.4: every re-INVITE/UPDATE is a session refresh and names the interval in force
      if (config !== undefined && !given('session-expires') && !given('x')) headers.push(...sessionRequestHeaders(this.timer?.current, config));
      headers.push(...capabilityHeaders(this.core, headers));
    }
    return createRequest({
      method,
      uri: this.remoteTarget,
      from: `${this.localUri};tag=${this.localTag}`,
      to: `${this.remoteUri};tag=${this.remoteTag}`,
      callId: this.callId,
      cseq: seq ?? ++this.localSeq,
      contact: TARGET_REFRESH.has(method) ? this.localContact : undefined,
      headers,
      body: opts.body,
      contentType: opts.contentType ?? (opts.body !== undefined && (method === 'INVITE' || method === 'UPDATE' || method === 'PRACK') ? 'application/sdp' : undefined),
    });
  }

  /** With a route set the transport follows the top Route; without one a stream flow is reused. */
  target(): SipTarget | undefined {
    return this.routeSet.length === 0 ? this.flow : undefined;
  }

  request(method: string, opts: InDialogRequestOptions = {}): Promise<SipResponse> {
    if (this.state === 'terminated') return Promise.reject(new SipTransactionError('sip_no_dialog', `dialog ${this.id} is terminated`));
    if (method === 'INVITE') return this.reinvite(opts);
    const sent = this.core.sendRequest(this.createRequest(method, opts), this.target());
    if (method !== 'UPDATE') return sent;
    return sent.then((response) => {
      if (response.status >= 200 && response.status < 300) this.sessionSettled(response, opts.body);
      return response;
    });
  }

  /** Re-INVITE with an offer in the body, or offerless with the answer produced for the ACK; queued while another INVITE is in progress. */
  reinvite(opts: ReinviteOptions = {}): Promise<SipResponse> {
    if (this.state === 'terminated') return Promise.reject(new SipTransactionError('sip_no_dialog', `dialog ${this.id} is terminated`));
    return this.invites.run(() => this.sendReinvite(opts));
  }

  private sendReinvite(opts: ReinviteOptions): Promise<SipResponse> {
    if (this.state === 'terminated') return Promise.reject(new SipTransactionError('sip_no_dialog', `dialog ${this.id} is terminated`));
    const invite = this.createRequest('INVITE', opts);
    const seq = this.localSeq;
    const offer = opts.body === undefined ? undefined : opts.body.toString();
    this.inviteInProgress = true;
    this.invites.outgoing = true;
    return new Promise((resolve, reject) => this.core.sendInvite(invite, this.target(), new ReinviteExchange(this, seq, { resolve, reject, answer: opts.answer, offer })));
  }

  /** Our re-INVITE exchange is over (final response, and our ACK for a 2xx): the next queued one may start (for ReinviteExchange). */
  outgoingDone(): void {
    this.invites.outgoing = false;
    this.invites.next();
  }

  /** A 2xx to our INVITE/UPDATE: the offer we made and the answer it carries are now in force, and so is the interval. */
  sessionSettled(response: SipResponse, offer: string | Buffer | undefined): void {
    if (offer !== undefined && offer.length > 0) this.localSdp = kept(offer.toString(), this.localSdp);
    if (response.body.length > 0) this.remoteSdp = kept(response.bodyText, this.remoteSdp);
    this.startSession(response);
  }

  /** UAC: the session interval a 2xx to our INVITE/UPDATE named starts (or none: session timing stops), RFC 4028 §7.2. */
  startSession(response: SipResponse): void {
    const config = this.core.sessionTimer;
    if (config !== undefined && this.state !== 'terminated') this.timeSession(intervalFromResponse(response, config));
  }

  /** Builds and sends the ACK for a 2xx to our INVITE, with the answer when the 2xx carried the offer. */
  async acknowledge(seq: number, response: SipResponse, answer?: ReinviteOptions['answer']): Promise<void> {
    const body = answer !== undefined ? await answer(response) : undefined;
    if (body !== undefined) {
      this.localSdp = kept(body.toString(), this.localSdp);
      if (response.body.length > 0) this.remoteSdp = kept(response.bodyText, this.remoteSdp);
    }
    const branch = ownedString(newBranch());
    this.lastAck = { cseq: seq, body, branch };
    this.core.sendAck(this.buildAck(seq, body), this.target(), branch);
  }

  private buildAck(seq: number, body: Buffer | string | undefined): SipRequest {
    const ack = this.createRequest('ACK', { body }, seq);
    if (body !== undefined) ack.headers.set('Content-Type', 'application/sdp');
    return ack;
  }

  /** A retransmitted 2xx: the ACK again, same CSeq and body (§13.2.2.4). */
  resendAck(seq: number): void {
    const last = this.lastAck;
    if (last !== undefined && last.cseq === seq) this.core.sendAck(this.buildAck(seq, last.body), this.target(), last.branch);
  }

  async bye(opts: InDialogRequestOptions = {}, reason: DialogTerminationReason = 'bye_sent'): Promise<SipResponse> {
    if (this.state === 'terminated') throw new SipTransactionError('sip_no_dialog', `dialog ${this.id} is terminated`);
    const bye = this.createRequest('BYE', opts);
    this.terminate(reason);
    return this.core.sendRequest(bye, this.target());
  }

  /** RFC 4028 §10: no refresh in time (or it failed for good): BYE, and the dialog ends as session_expired. */
  expire(): void {
    if (this.state !== 'confirmed') return;
    this.bye({}, 'session_expired').catch(() => undefined);
  }

  /** UAC: an early dialog (RFC 3262 PRACK) confirmed by the 2xx; §13.2.2.4: remote target and route set come from the 2xx. */
  confirm(response: SipResponse): void {
    if (this.state !== 'early') return;
    this.state = 'confirmed';
    this.refreshTarget(response);
    const routes = response.getRecordRoutes();
    if (routes.ok && routes.value.length > 0) this.routeSet = routes.value.map((r) => ownedString(serializeNameAddr(r))).reverse();
    if (response.body.length > 0) this.remoteSdp = kept(response.bodyText, this.remoteSdp);
    const allow = response.getList('allow');
    if (allow.ok && allow.value.length > 0) this.remoteAllow = new Set(allow.value.map((m) => ownedString(m.trim().toUpperCase())));
  }

  onRequest(method: 'INVITE', handler: (incoming: IncomingInvite) => void | Promise<void>): void;
  onRequest(method: string, handler: DialogRequestHandler | DialogRequestReceiver): void;
  onRequest(method: string, handler: ((incoming: never) => void | Promise<void>) | DialogRequestReceiver): void {
    const m = method.toUpperCase();
    const h = handler as DialogRequestHandler | DialogRequestReceiver;
    const at = this.handlers?.indexOf(m) ?? -1;
    // a literal for the first: push onto an empty array reserves room for 16
    if (this.handlers === undefined) this.handlers = [m, h];
    else if (at >= 0 && at % 2 === 0) this.handlers[at + 1] = h;
    else this.handlers.push(m, h);
  }

  /** The peer's re-INVITEs and UPDATEs that change the session go to `handler` (refreshes are still answered at once). */
  onSessionChange(handler: SessionChangeHandler): void {
    if (this.state !== 'terminated') this.sessionHandler = handler;
  }

  /** `cb` runs once when the dialog ends; the function returned takes it off, so the dialog stops keeping what it captured. */
  onTerminated(cb: TerminatedCallback): () => void {
    if (this.state === 'terminated') return () => undefined;
    const now = this.terminatedCallbacks;
    this.terminatedCallbacks = now === undefined ? cb : Array.isArray(now) ? [...now, cb] : [now, cb];
    return () => {
      const list = this.terminatedCallbacks;
      if (list === cb) this.terminatedCallbacks = undefined;
      else if (Array.isArray(list)) {
        const at = list.indexOf(cb);
        if (at >= 0) this.terminatedCallbacks = [...list.slice(0, at), ...list.slice(at + 1)];
      }
    };
  }

  terminate(reason: DialogTerminationReason): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.pendingAck = undefined;
    this.prackHandler = undefined;
    this.timer?.stop();
    this.core.forget(this.id);
    // a terminated dialog gets no more requests; its handlers would only keep the application's state alive
    this.handlers = undefined;
    this.sessionHandler = undefined;
    // the error (and its stack) only for re-INVITEs still waiting: most dialogs end with none
    if (this.queue !== undefined && this.queue.queued > 0) this.queue.failAll(new SipTransactionError('sip_no_dialog', `dialog ${this.id} is terminated`));
    const now = this.terminatedCallbacks;
    const callbacks = now === undefined ? [] : Array.isArray(now) ? now : [now];
    this.terminatedCallbacks = undefined;
    for (const cb of callbacks) cb(reason);
  }

  private handler(method: string): DialogRequestHandler | DialogRequestReceiver | undefined {
    const list = this.handlers;
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i += 2) if (list[i] === method) return list[i + 1] as DialogRequestHandler | DialogRequestReceiver;
    return undefined;
  }

  refreshTarget(message: SipRequest | SipResponse): void {
    const contacts = message.getContacts();
    if (contacts.ok && contacts.value !== '*' && contacts.value.length > 0) this.remoteTarget = ownedString(serializeUri(contacts.value[0].uri));
  }

  /** ACK for our 2xx (matched by the core through the dialog id). */
  receiveAck(ack: SipRequest): void {
    const pending = this.pendingAck;
    if (pending !== undefined && ack.cseq?.seq === pending.cseq) {
      this.pendingAck = undefined;
      pending.onAck(ack);
      this.queue?.next();
    }
  }

  /** In-dialog request (not ACK, not CANCEL): CSeq order, BYE, PRACK, target refresh, then the application's handler. */
  receive(incoming: IncomingRequestImpl): void {
    const { request } = incoming;
    incoming.localTag = this.localTag;
    const seq = request.cseq?.seq ?? 0;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) {
      void incoming.reply(500, { reason: 'CSeq Out of Order' });
      return;
    }
    this.remoteSeq = seq;
    const method = request.method;
    if (method === 'BYE') {
      void incoming.reply(200);
      this.terminate('bye_received');
      return;
    }
    if (method === 'PRACK') {
      if (this.prackHandler !== undefined) this.prackHandler(incoming);
      else void incoming.reply(481);
      return;
    }
    const offers = method === 'INVITE' || (method === 'UPDATE' && request.body.length > 0);
    if (offers && (this.inviteInProgress || this.pendingAck !== undefined || this.queue?.incoming === true)) {
      // §14.2, RFC 3311 §5.2: an offer while ours is out is glare (491); while theirs is still being answered, 500 with Retry-After
      void incoming.reply(this.inviteInProgress ? 491 : 500, this.inviteInProgress ? {} : { headers: [['Retry-After', '1']] });
      return;
    }
    if (TARGET_REFRESH.has(method)) this.refreshTarget(request);
    const handler = this.handler(method) ?? this.handler('*');
    if (handler !== undefined) {
      Promise.resolve(typeof handler === 'function' ? handler(incoming) : handler.receiveRequest(incoming)).catch(() => incoming.reply(500));
      return;
    }
    if (method === 'INVITE' || method === 'UPDATE') answerSessionRequest(this, incoming);
    else if (method === 'OPTIONS' || method === 'INFO' || method === 'NOTIFY') void incoming.reply(200);
    else void incoming.reply(405, { headers: [['Allow', this.core.allow(method)]] });
  }
}
