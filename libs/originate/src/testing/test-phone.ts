import {
  type Dialog, type IncomingInvite, type SipProtocol, type SipRequest, type SipStack as SipStackType, type SipTarget, type SipTimers, type SipTransportLayer,
  DigestAuthenticator, SipStack, answerFor, createOffer, createTransportLayer, findDigestCredentials,
} from '@legwork/sip';

export const TEST_SIP_TIMERS: Partial<SipTimers> = { T1: 50, T2: 200, T4: 250, D: 500, trying: 50 };

export type PhoneBehaviour =
  | { kind: 'answer'; delayMs?: number }
  | { kind: 'reject'; status: number; delayMs?: number }
  | { kind: 'ring' }
  /** 183 with SDP (early media), then waits for answerEarly(). */
  | { kind: 'early' };

/** A carrier that wants Digest credentials on every INVITE (401, or 407 like a proxy). */
export interface PhoneAuth {
  realm: string;
  username: string;
  password: string;
  algorithm?: 'MD5' | 'SHA-256';
  status?: 401 | 407;
}

/** Records every inbound request (CANCEL included) and the transport it came over, before the stack sees it. */
export function recording(inner: SipTransportLayer, seen: SipRequest[], over?: WeakMap<SipRequest, SipProtocol>): SipTransportLayer {
  return {
    onMessage: (handler) => inner.onMessage((inbound) => {
      if (inbound.message.kind === 'request') {
        seen.push(inbound.message);
        over?.set(inbound.message, inbound.source.protocol);
      }
      handler(inbound);
    }),
    onFlowClosed: (handler) => inner.onFlowClosed(handler),
    send: (message, target) => inner.send(message, target),
    sendResponse: (response, source) => inner.sendResponse(response, source),
    resolve: (request, proxy) => inner.resolve(request, proxy),
    sentBy: (protocol) => inner.sentBy(protocol),
    isReliable: (protocol) => inner.isReliable(protocol),
    listening: () => inner.listening(),
    close: () => inner.close(),
  };
}

/** A SIP phone (or carrier) on 127.0.0.1 (UDP, or TCP when asked) that rings, answers or rejects as told and records what it got. */
export class TestPhone {
  readonly requests: SipRequest[] = [];
  /** The transport each recorded request arrived over. */
  readonly arrivedOver = new WeakMap<SipRequest, SipProtocol>();
  readonly invites: IncomingInvite[] = [];
  /** SDP bodies that reached this phone: offers in INVITEs and answers in ACKs, in order. */
  readonly receivedSdp: string[] = [];
  readonly dialogs: Dialog[] = [];
  readonly byesReceived: string[] = [];
  /** Our SDP offer (offerless INVITEs); replace it with an RtpProbe's to receive real media. */
  sdp: string;
  /** Where our answers point (INVITEs with an offer). */
  media: { address: string; port: number };
  auth: PhoneAuth | undefined;
  /** Set: every re-INVITE in an answered call is refused with this status, never answered (`silent`) or answered late. */
  refuseReinvites: number | 'silent' | { answerAfterMs: number } | undefined;
  private digest: DigestAuthenticator | undefined;
  private earlyPending: IncomingInvite | undefined;
  /** 2xx sent, ACK not yet in: the dialog is tracked only once its ACK arrives. */
  private readonly accepting = new Set<Promise<void>>();
  private constructor(
    readonly stack: SipStackType,
    private readonly transport: SipTransportLayer,
    readonly port: number,
    public behaviour: PhoneBehaviour,
    readonly protocol: 'udp' | 'tcp' = 'udp',
  ) {
    this.media = { address: '127.0.0.1', port: 20_000 + (port % 10_000) * 2 };
    this.sdp = createOffer({ ...this.media, sessionId: String(port) });
    stack.onRequest('INVITE', (inv) => this.onInvite(inv));
  }

  static async start(behaviour: PhoneBehaviour, opts: { protocol?: 'udp' | 'tcp' } = {}): Promise<TestPhone> {
    const protocol = opts.protocol ?? 'udp';
    const seen: SipRequest[] = [];
    const over = new WeakMap<SipRequest, SipProtocol>();
    const layer = await createTransportLayer({ [protocol]: { host: '127.0.0.1', port: 0 } });
    const transport = recording(layer, seen, over);
    const stack = new SipStack({ transport, timers: TEST_SIP_TIMERS, userAgent: 'test-phone' });
    const port = layer.listening()[0].port;
    const phone = new TestPhone(stack, transport, port, behaviour, protocol);
    Object.assign(phone, { requests: seen, arrivedOver: over });
    return phone;
  }

  get target(): SipTarget {
    return { protocol: this.protocol, host: '127.0.0.1', port: this.port };
  }

  uri(user: string): string {
    return `sip:${user}@127.0.0.1:${this.port}${this.protocol === 'udp' ? '' : `;transport=${this.protocol}`}`;
  }

  requestsOf(method: string): SipRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  /** Requests of a method, UDP retransmissions (same branch) counted once. */
  transactionsOf(method: string): SipRequest[] {
    const seen = new Set<string>();
    return this.requestsOf(method).filter((r) => {
      const branch = r.via?.branch ?? '';
      if (seen.has(branch)) return false;
      seen.add(branch);
      return true;
    });
  }

  /** Sends media to an RtpProbe: our offer and our answers name its address and port. */
  useMedia(probe: { address: string; port: number; sdp(): string }): void {
    this.media = { address: probe.address, port: probe.port };
    this.sdp = probe.sdp();
  }

  /** Challenges every INVITE until it carries valid credentials. */
  requireAuth(auth: PhoneAuth): void {
    this.auth = auth;
    this.digest = new DigestAuthenticator({ secret: 'test-phone-digest-secret-0123456789', algorithms: [auth.algorithm ?? 'MD5'] });
  }

  /** Answers the call held in early media (behaviour `early`). */
  async answerEarly(): Promise<void> {
    const inv = this.earlyPending;
    if (inv === undefined) throw new Error('no call in early media');
    this.earlyPending = undefined;
    await this.accepted(inv);
  }

  /**
   * Hangs up the first answered call from this side. A 2xx still awaiting its ACK is waited for first (no BYE
   * before the ACK, RFC 3261 §15): the caller may see the answer before this phone has the ACK.
   */
  async hangup(): Promise<void> {
    await Promise.allSettled([...this.accepting]);
    const dialog = this.dialogs.find((d) => d.state !== 'terminated');
    if (dialog === undefined) throw new Error('test phone: no answered call to hang up');
    await dialog.bye();
  }

  async close(): Promise<void> {
    await this.stack.close();
    await this.transport.close();
  }

  private async onInvite(inv: IncomingInvite): Promise<void> {
    if (this.challenge(inv)) return;
    this.invites.push(inv);
    const b = this.behaviour;
    if (b.kind === 'reject' && b.delayMs === undefined) return inv.reject(b.status);
    if (b.kind === 'early') {
      this.earlyPending = inv;
      const offer = inv.request.body.toString();
      return inv.progress(183, { body: answerFor(offer, this.media), contentType: 'application/sdp' });
    }
    await inv.progress(180);
    if (b.kind === 'ring') return;
    if (b.delayMs !== undefined) await new Promise((r) => setTimeout(r, b.delayMs));
    if (inv.cancelled) return;
    if (b.kind === 'reject') return inv.reject(b.status);
    await this.accepted(inv);
  }

  /** Answers an initial INVITE and tracks its dialog; hangup() waits for this until the ACK arrives. */
  private async accepted(inv: IncomingInvite): Promise<void> {
    const answering = this.answer(inv).then((dialog) => this.track(dialog));
    this.accepting.add(answering);
    try {
      await answering;
    } finally {
      this.accepting.delete(answering);
    }
  }

  private track(dialog: Dialog): void {
    this.dialogs.push(dialog);
    dialog.onRequest('INVITE', (re) => {
      if (this.refuseReinvites === undefined) return void this.answer(re);
      const how = this.refuseReinvites;
      if (typeof how === 'object') return void setTimeout(() => void this.answer(re), how.answerAfterMs);
      this.receivedSdp.push(re.request.body.toString());
      if (how !== 'silent') void re.reject(how);
    });
    dialog.onTerminated((reason) => {
      if (reason === 'bye_received') this.byesReceived.push(dialog.callId);
    });
  }

  /** True when the INVITE was answered with a challenge (no valid credentials for our realm). */
  private challenge(inv: IncomingInvite): boolean {
    const { auth, digest } = this;
    if (auth === undefined || digest === undefined) return false;
    const status = auth.status ?? 401;
    const found = findDigestCredentials(inv.request, auth.realm, status === 401 ? 'authorization' : 'proxy-authorization');
    const ok = found.kind === 'found' && found.credentials.username === auth.username
      && digest.verify({ credentials: found.credentials, method: 'INVITE', realm: auth.realm, password: auth.password, requestUri: inv.request.uri }).ok;
    if (ok) return false;
    void inv.reject(status, { headers: digest.challenge(auth.realm).map((c): [string, string] => [status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate', c]) });
    return true;
  }

  /** Offerless INVITE → we offer and read the answer from the ACK; INVITE with an offer → we answer. */
  private async answer(inv: IncomingInvite): Promise<Dialog> {
    const offer = inv.request.body.toString();
    if (offer.length > 0) {
      this.receivedSdp.push(offer);
      return inv.accept({ body: answerFor(offer, this.media) });
    }
    const dialog = await inv.accept({ body: this.sdp });
    const ack = inv.ack?.body.toString() ?? '';
    if (ack.length > 0) this.receivedSdp.push(ack);
    return dialog;
  }
}
