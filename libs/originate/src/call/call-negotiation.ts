import type { Logger } from '@legwork/common';
import type { SessionAnswer, SessionChangeHandler, SessionOffer, SipResponse } from '@legwork/sip';
import type { Leg } from '../legs/leg';
import { answerAcross, answerAlone, offerAcross } from './media-relay';

/** What the negotiation needs from its call. */
export interface NegotiatingCall {
  readonly id: string;
  peerOf(leg: Leg): Leg | undefined;
}

const NOT_ACCEPTABLE: SessionAnswer = { kind: 'refuse', status: 488 };
/** RFC 3261 §14.1: an offer crossing one the call is already negotiating is glare. */
const GLARE: SessionAnswer = { kind: 'refuse', status: 491 };
/** The peer could not be woken (a push device that did not register again): RFC 3261 §21.4.18. */
const UNAVAILABLE: SessionAnswer = { kind: 'refuse', status: 480 };

/**
 * Offers and answers across the legs of one call, one negotiation at a time. A leg's re-INVITE or UPDATE is
 * relayed to its peer (bypass: the SDP itself; process: through rtpengine) and the peer's answer returned; a leg
 * with nobody to relay to is answered here. Each completed exchange updates both legs' hold.
 */
export class CallNegotiation {
  private busy: Promise<void> | undefined;

  constructor(
    private readonly call: NegotiatingCall,
    private readonly logger: Logger,
    /** Before an offer is relayed to a leg's party (a push device whose binding lapsed is woken first). */
    private readonly reach: (leg: Leg) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** The leg answered: its party's session changes come here from now on. */
  watch(leg: Leg): void {
    leg.dialog?.onSessionChange(new LegSessionChanges(this, leg));
  }

  /** A changed offer from the leg's party: relayed or answered here; another offer already in progress in the call is glare. */
  fromParty(leg: Leg, sdp: string): Promise<SessionAnswer> {
    if (this.busy !== undefined) return Promise.resolve(GLARE);
    return this.exclusive(() => this.relay(leg, sdp)).catch((err: unknown) => {
      this.logger.warn({ err, callId: leg.callId }, 'in-dialog offer not relayed');
      return NOT_ACCEPTABLE;
    });
  }

  /**
   * Sends our own offer to a leg (an application: hold, a re-pointed peer), after any negotiation in progress;
   * a 2xx makes it the session in force and updates the leg's hold.
   */
  offerTo(leg: Leg, sdp: string): Promise<SipResponse> {
    return this.exclusive(() => this.send(leg, sdp));
  }

  /** An exchange of the application's own (RFC 3725 re-INVITEs), after any negotiation in progress. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(work);
  }

  /** Our offer to an offerless re-INVITE was answered in the ACK: the leg's new SDP goes to its peer like an offer would. */
  async fromAck(leg: Leg, sdp: string): Promise<void> {
    const outcome = await this.fromParty(leg, sdp);
    if (outcome.kind === 'refuse') this.logger.warn({ callId: leg.callId, status: outcome.status }, 'answer from an ACK not relayed to the peer');
  }

  private async relay(leg: Leg, sdp: string): Promise<SessionAnswer> {
    const peer = this.call.peerOf(leg);
    if (peer === undefined || peer.dialog === undefined || peer.ended) {
      const answer = await answerAlone(leg, sdp);
      if (answer === undefined) return NOT_ACCEPTABLE;
      void leg.negotiated('remote', sdp);
      return { kind: 'answer', sdp: answer };
    }
    try {
      await this.reach(peer);
    } catch (err) {
      this.logger.warn({ err, callId: leg.callId, peer: peer.callId }, 'in-dialog offer not relayed: the peer could not be reached');
      return UNAVAILABLE;
    }
    const offer = await offerAcross(leg, peer, sdp);
    const reply = await this.send(peer, offer);
    // the peer's refusal is ours: glare stays glare (the party retries), anything else cannot be met
    if (reply.status >= 300 || reply.body.length === 0) return reply.status === 491 ? GLARE : NOT_ACCEPTABLE;
    const answer = await answerAcross(leg, peer, reply.bodyText);
    void leg.negotiated('remote', sdp);
    return { kind: 'answer', sdp: answer };
  }

  private async send(leg: Leg, offer: string): Promise<SipResponse> {
    const dialog = leg.dialog;
    if (dialog === undefined) throw new Error(`leg ${leg.callId} has no dialog`);
    const reply = await dialog.reinvite({ body: offer });
    if (reply.status < 300) void leg.negotiated('local', offer);
    return reply;
  }

  /** Runs `work` once nothing else negotiates in this call. */
  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.busy !== undefined) await this.busy;
    let release: () => void = () => undefined;
    this.busy = new Promise((resolve) => (release = resolve));
    try {
      return await work();
    } finally {
      this.busy = undefined;
      release();
    }
  }
}

/** A leg's party's session changes, into its call's negotiation: two references where closures would keep a scope each. */
class LegSessionChanges implements SessionChangeHandler {
  constructor(
    private readonly negotiation: CallNegotiation,
    private readonly leg: Leg,
  ) {}

  offer(offer: SessionOffer): Promise<SessionAnswer> {
    return this.negotiation.fromParty(this.leg, offer.sdp);
  }

  answered(sdp: string): void {
    void this.negotiation.fromAck(this.leg, sdp);
  }
}
