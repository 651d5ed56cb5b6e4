import { Logger, silentLogger } from '@legwork/common';
import { capabilityHeaders } from '../dialog/dialog';
import { dialogIdOfRequest, dialogIdOfResponse } from '../dialog/dialog-id';
import { DialogLayer } from '../dialog/dialog-layer';
import type { DialogCore } from '../dialog/dialog.types';
import { type SessionTimerConfig, initialSessionHeaders } from '../dialog/session-timer';
import { callerNameAddr, nameAddrText } from '../message/sip-build-checks';
import { createRequest } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { checkText } from '../message/sip-unsafe-value';
import { newBranch, newCallId, newTag } from '../transaction/branch';
import type { InviteServerTransaction } from '../transaction/invite-server.transaction';
import { SipTimers, resolveTimers } from '../transaction/timers';
import { TransactionLayer, TransactionLayerUser } from '../transaction/transaction-layer';
import { SipTransactionError } from '../transaction/transaction.errors';
import type { ClientTransactionUser, ServerTransaction } from '../transaction/transaction.types';
import type { SipSource, SipTarget, SipTransportLayer } from '../transport/transport.types';
import { contactFor, withTag } from './dialog-factory';
import { IncomingInvite } from './incoming-invite';
import { IncomingRequestImpl } from './incoming-request';
import { type InviteHostContext, incomingInviteHost, outgoingInviteHost } from './invite-hosts';
import { OutgoingInvite } from './outgoing-invite';
import { KNOWN_METHODS, validateRequest } from './request-validation';
import type { InviteHandler, InviteOptions, OutOfDialogRequestOptions, RequestHandler, SipStackOptions } from './sip-stack.types';
import { authenticatedRetry, isChallenge } from './uac-auth';
import { UaCapabilities, resolveSessionTimer, withoutUriHeaders } from './ua-capabilities';

export type { InviteHandler, InviteOptions, OutOfDialogRequestOptions, RequestHandler, SipStackOptions } from './sip-stack.types';

/** The UA core (RFC 3261 §8, §12-§15, RFC 3262, RFC 4028) over the transaction layer and one transport layer. */
export class SipStack implements TransactionLayerUser, DialogCore {
  readonly timers: SipTimers;
  readonly userAgent: string | undefined;
  readonly sessionTimer: SessionTimerConfig | undefined;
  readonly transactions: TransactionLayer;
  readonly dialogs = new DialogLayer();
  private readonly transport: SipTransportLayer;
  private readonly logger: Logger;
  private readonly handlers = new Map<string, (incoming: never) => void | Promise<void>>();
  private readonly invites = new WeakMap<ServerTransaction, IncomingInvite>();
  private readonly capabilities: UaCapabilities;
  private readonly hostContext: InviteHostContext;
  private closed = false;

  constructor(options: SipStackOptions) {
    this.transport = options.transport;
    this.userAgent = options.userAgent;
    this.timers = resolveTimers(options.timers);
    this.sessionTimer = resolveSessionTimer(options.sessionTimer);
    this.logger = options.logger ?? silentLogger;
    this.capabilities = new UaCapabilities(() => this.handlers.keys(), this.sessionTimer, options.extensions);
    this.transactions = new TransactionLayer({ transport: this.transport, timers: this.timers, logger: this.logger }, this);
    this.hostContext = {
      core: this, dialogs: this.dialogs, transactions: this.transactions, transport: this.transport, timers: this.timers,
      sessionTimer: this.sessionTimer, isClosed: () => this.closed,
    };
    const relay = options.relay;
    this.transport.onMessage((inbound) => {
      try {
        if (relay?.(inbound) === true) return;
        this.transactions.receive(inbound);
      } catch (err) {
        this.logger.error({ err }, 'sip stack: inbound message handling failed');
      }
    });
  }

  onRequest(method: 'INVITE', handler: InviteHandler): void;
  onRequest(method: string, handler: RequestHandler): void;
  onRequest(method: string, handler: (incoming: never) => void | Promise<void>): void {
    this.handlers.set(method.toUpperCase(), handler);
    this.capabilities.changed();
  }

  /** Allow: the core's methods plus those of the mounted handlers (RFC 3261 §20.5); a 405 leaves out what it refuses. */
  allow(refused?: string): string {
    return this.capabilities.allow(refused);
  }

  /** Supported: the option-tags the core implements (100rel, and timer unless session timers are off). */
  supported(): string {
    return this.capabilities.supported();
  }

  /** What an OPTIONS 200 tells about us (RFC 3261 §11.2). */
  optionsHeaders(): Array<[string, string]> {
    return this.capabilities.optionsHeaders();
  }

  stats(): { clientTransactions: number; serverTransactions: number; dialogs: number } {
    const size = this.transactions.size;
    return { clientTransactions: size.clients, serverTransactions: size.servers, dialogs: this.dialogs.size };
  }

  // ---- inbound (TransactionLayerUser) ----

  onServerRequest(tx: ServerTransaction, request: SipRequest, source: SipSource): void {
    const decorations = { userAgent: this.userAgent, contact: contactFor(this.transport, source.protocol), allow: this.allow(), supported: this.supported() };
    const isInvite = request.method === 'INVITE';
    const incoming = isInvite ? new IncomingInvite(request, source, tx, newTag(), decorations) : new IncomingRequestImpl(request, source, tx, newTag(), decorations);
    if (this.closed) {
      void incoming.reply(503);
      return;
    }
    const invalid = validateRequest(request, this.capabilities.tagsFor(request.method), this.sessionTimer?.minSE);
    if (invalid !== undefined) {
      void incoming.reply(invalid.status, { reason: invalid.reason, headers: invalid.headers });
      return;
    }
    if (incoming instanceof IncomingInvite) {
      incoming.host = incomingInviteHost(this.hostContext, source);
      this.invites.set(tx, incoming);
      tx.user = { onAck: (ack) => this.onAck(ack, source) };
    }
    if (request.toTag !== undefined) {
      const dialog = this.dialogs.get(dialogIdOfRequest(request));
      if (dialog === undefined) {
        void incoming.reply(481);
        return;
      }
      if (incoming instanceof IncomingInvite) incoming.dialog = dialog;
      dialog.receive(incoming);
      return;
    }
    this.dispatch(incoming);
  }

  private dispatch(incoming: IncomingRequestImpl): void {
    const method = incoming.request.method;
    const handler = (this.handlers.get(method) ?? this.handlers.get('*')) as ((i: IncomingRequestImpl) => void | Promise<void>) | undefined;
    if (handler !== undefined) {
      Promise.resolve()
        .then(() => handler(incoming))
        .catch((err: unknown) => {
          this.logger.error({ err, method }, 'sip stack: request handler failed');
          return incoming.reply(500);
        });
      return;
    }
    if (method === 'OPTIONS') void incoming.reply(200, { headers: this.optionsHeaders() });
    // these exist only inside a dialog, and none matched
    else if (method === 'BYE' || method === 'PRACK' || method === 'UPDATE') void incoming.reply(481);
    else if (KNOWN_METHODS.has(method)) void incoming.reply(405, { headers: [['Allow', this.allow(method)]] });
    else void incoming.reply(501);
  }

  onCancel(cancelTx: ServerTransaction, inviteTx: InviteServerTransaction | undefined): void {
    const incoming = new IncomingRequestImpl(cancelTx.request, cancelTx.source, cancelTx, newTag(), { userAgent: this.userAgent });
    if (inviteTx === undefined) {
      void incoming.reply(481);
      return;
    }
    // §9.2: the CANCEL gets 200 with the INVITE's To tag (if any); the INVITE gets 487 when still pending
    const invite = this.invites.get(inviteTx);
    if (invite !== undefined) incoming.localTag = invite.localTag;
    void incoming.reply(200);
    invite?.cancel();
  }

  onAck(ack: SipRequest, _source: SipSource): void {
    this.dialogs.get(dialogIdOfRequest(ack))?.receiveAck(ack);
  }

  onStrayResponse(response: SipResponse, _source: SipSource): void {
    // a 2xx retransmission after the INVITE transaction ended: ACK it again (§13.2.2.4)
    const cseq = response.cseq;
    if (cseq?.method !== 'INVITE' || response.status < 200 || response.status >= 300) return;
    this.dialogs.get(dialogIdOfResponse(response))?.resendAck(cseq.seq);
  }

  // ---- DialogCore ----

  async sendRequest(request: SipRequest, target: SipTarget | undefined): Promise<SipResponse> {
    const to = target ?? (await this.resolve(request));
    return new Promise((resolve, reject) => {
      this.transactions.send(request, to, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response);
        },
        onFailure: reject,
      });
    });
  }

  sendInvite(request: SipRequest, target: SipTarget | undefined, user: ClientTransactionUser): void {
    (target !== undefined ? Promise.resolve(target) : this.resolve(request)).then(
      (to) => this.transactions.send(request, to, user),
      (err: SipTransactionError) => user.onFailure(err),
    );
  }

  sendAck(ack: SipRequest, target: SipTarget | undefined, branch?: string): void {
    (target !== undefined ? Promise.resolve(target) : this.resolve(ack))
      .then((to) => {
        if (ack.via === undefined) {
          const by = this.transport.sentBy(to.protocol);
          ack.headers.prepend('Via', `SIP/2.0/${by.protocol.toUpperCase()} ${by.host}:${by.port};branch=${branch ?? newBranch()};rport`);
        }
        return this.transport.send(ack, to);
      })
      .catch((err: unknown) => this.logger.warn({ err, callId: ack.callId }, 'sip stack: ACK not sent'));
  }

  forget(dialogId: string): void {
    this.dialogs.remove(dialogId);
  }

  private async resolve(request: SipRequest): Promise<SipTarget> {
    try {
      return await this.transport.resolve(request);
    } catch (err) {
      throw new SipTransactionError('sip_transport', `cannot resolve ${request.uri}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // ---- outbound ----

  /** Throws SipUnsafeValueError (naming the header) before anything is built or sent. */
  private buildRequest(method: string, opts: Omit<OutOfDialogRequestOptions, 'method'>): SipRequest {
    callerNameAddr('From', opts.from);
    callerNameAddr('To', opts.to);
    if (opts.credentials !== undefined) checkText('Authorization', opts.credentials.username);
    const headers: Array<[string, string]> = [];
    if (this.userAgent !== undefined) headers.push(['User-Agent', this.userAgent]);
    headers.push(...(opts.headers ?? []));
    return createRequest({
      method,
      uri: withoutUriHeaders(opts.uri),
      from: withTag(opts.from, newTag()),
      to: opts.to,
      callId: opts.callId ?? newCallId(),
      cseq: 1,
      headers,
      body: opts.body,
      contentType: opts.contentType ?? (opts.body !== undefined && method === 'INVITE' ? 'application/sdp' : undefined),
    });
  }

  /** Out-of-dialog non-INVITE request; resolves with the final response, rejects with SipTransactionError on timeout or transport failure. */
  async request(opts: OutOfDialogRequestOptions): Promise<SipResponse> {
    if (this.closed) throw new SipTransactionError('sip_closed', 'stack closed');
    const request = this.buildRequest(opts.method.toUpperCase(), opts);
    const target = opts.target ?? (await this.resolve(request));
    const response = await this.sendRequest(request, target);
    const retry = opts.credentials !== undefined && isChallenge(response) ? authenticatedRetry(request, response, opts.credentials) : undefined;
    return retry !== undefined && !this.closed ? this.sendRequest(retry, target) : response;
  }

  /**
   * An INVITE with Allow, Supported (100rel only with an offer) and, unless off, Session-Expires/Min-SE (RFC 4028 §7.1).
   * Throws SipUnsafeValueError synchronously for a value that would break it; failures after that arrive on the OutgoingInvite.
   */
  invite(opts: InviteOptions): OutgoingInvite {
    if (opts.contactUser !== undefined) nameAddrText('Contact', `<sip:${opts.contactUser}@contact.invalid>`);
    const given = opts.headers ?? [];
    const has = (name: string): boolean => given.some(([h]) => h.toLowerCase() === name);
    const withOffer = opts.body !== undefined && opts.body.length > 0;
    const extra: Array<[string, string]> = [...capabilityHeaders({ allow: () => this.allow(), supported: () => this.capabilities.inviteSupported(withOffer) }, given)];
    if (this.sessionTimer !== undefined && !has('session-expires') && !has('x')) extra.push(...initialSessionHeaders(this.sessionTimer));
    const request = this.buildRequest('INVITE', { ...opts, headers: [...given, ...extra] });
    const outgoing = new OutgoingInvite(request.callId ?? '', opts.answer);
    void this.startInvite(outgoing, request, opts);
    return outgoing;
  }

  private async startInvite(outgoing: OutgoingInvite, request: SipRequest, opts: InviteOptions): Promise<void> {
    let target: SipTarget;
    try {
      if (this.closed) throw new SipTransactionError('sip_closed', 'stack closed');
      target = opts.target ?? (await this.resolve(request));
    } catch (err) {
      outgoing.handleFailure(err instanceof SipTransactionError ? err : new SipTransactionError('sip_transport', String(err)));
      return;
    }
    if (outgoing.cancelled) return;
    try {
      const contact = contactFor(this.transport, target.protocol, opts.contactUser);
      request.headers.append('Contact', contact);
      outgoing.host = outgoingInviteHost(this.hostContext, target, contact, opts, outgoing.transactionUser);
      outgoing.request = request;
      this.transactions.send(request, target, outgoing.transactionUser);
    } catch (err) {
      // a value refused this late (after target resolution) fails this INVITE, never the process
      outgoing.handleFailure(err instanceof SipTransactionError ? err : new SipTransactionError('sip_transport', err instanceof Error ? err.message : String(err)));
    }
  }

  /** Ends every transaction and forgets every dialog (no BYEs); the transport stays open for its owner to close. */
  async close(): Promise<void> {
    this.closed = true;
    for (const dialog of this.dialogs.list()) dialog.terminate('closed');
    this.transactions.close();
  }
}
