import type { Dialog } from '@legwork/sip';
import type { LegMedia, MediaSession } from '../media/media.types';
import type { InboundLeg } from './inbound-leg';
import type { InboundSdpPath } from './inbound-sdp-path';

/**
 * The offer and answer of one inbound call. With an offer in the caller's INVITE, the targets are INVITEd with it
 * (through the path) and the answering target's answer goes into the caller's 200. Without one (late offer, RFC 3261
 * §13.2.1), the targets are INVITEd offerless: the first target's 200 offer goes into the caller's 200 and the
 * caller's ACK carries the answer that target's ACK gets (RFC 3264).
 */
export class InboundMedia {
  private caller: InboundLeg | undefined;
  private targetsOffer: string | undefined;
  /** Late offer: the target whose offer the caller got, and that exchange until the caller's ACK. */
  private claim: { callId: string; exchange: Promise<Dialog> } | undefined;

  constructor(readonly path: InboundSdpPath) {}

  get mode(): InboundSdpPath['mode'] {
    return this.path.mode;
  }

  /** The caller's leg, adopted by the call before anything rings. */
  bind(leg: InboundLeg): void {
    this.caller = leg;
  }

  private get leg(): InboundLeg {
    if (this.caller === undefined) throw new Error('inbound media has no caller leg');
    return this.caller;
  }

  get lateOffer(): boolean {
    return this.leg.offer.length === 0;
  }

  /**
   * Before ringing: the offer the targets get (undefined for a late offer: they make it). They share it, so it is
   * WebRTC only when every one is a browser.
   */
  async prepare(webrtc = false): Promise<void> {
    if (!this.lateOffer) this.targetsOffer = await this.path.fromCaller(this.leg.offer, webrtc);
  }

  /** The SDP every target's INVITE carries, once prepared; undefined: offerless INVITEs. */
  offerForTargets(): string | undefined {
    return this.targetsOffer;
  }

  /** What the engine holds for one target: its 200's offer (late offer) is answered through the caller. */
  forTarget(callId: string): MediaSession {
    return new InboundTargetMedia(this, callId);
  }

  /**
   * Late offer: the first target whose 200 offers gets the caller; the caller is answered with that offer and its
   * ACK's answer is what this target's ACK carries. Any later target is refused (its 2xx is ACKed and BYEd).
   */
  async answerTarget(callId: string, offer: string): Promise<string> {
    if (this.claim !== undefined) throw new Error('another target already answered the caller');
    const leg = this.leg;
    const exchange = this.path.fromTarget(offer).then((forCaller) => leg.accept(forCaller));
    this.claim = { callId, exchange };
    await exchange;
    const answer = leg.incoming.ack?.body.toString() ?? '';
    if (answer.length === 0) throw new Error("the caller's ACK carried no answer");
    return this.path.toTarget(answer);
  }

  /** The target `callId` answered and won: the caller is answered (early offer) or was answered with its offer (late offer). */
  async answerCaller(callId: string, dialog: Dialog): Promise<void> {
    const leg = this.leg;
    if (this.lateOffer) {
      if (this.claim?.callId !== callId) throw new Error(`target ${callId} won the ring but another one's offer reached the caller`);
      await this.claim.exchange;
      if ((leg.incoming.ack?.body.length ?? 0) === 0) throw new Error("the caller's ACK carried no answer");
    } else {
      await leg.accept(await this.path.toCaller(dialog.remoteSdp ?? ''));
    }
    leg.media = this.path.legMedia('caller');
  }

  release(): Promise<void> {
    return this.path.release();
  }
}

/** One target's side of an inbound call, as the engine's ring path sees a media plan. */
class InboundTargetMedia implements MediaSession {
  constructor(
    private readonly plan: InboundMedia,
    private readonly callId: string,
  ) {}

  get mode(): MediaSession['mode'] {
    return this.plan.mode;
  }

  /** The target's 200 offered (late offer): the answer for its ACK comes from the caller. */
  answerA(offer: string): Promise<string> {
    return this.plan.answerTarget(this.callId, offer);
  }

  // the caller is the other side and is already here: nothing is dialled
  async offerForB(): Promise<string> {
    throw new Error('an inbound call dials no B-leg');
  }

  async onBAnswer(): Promise<undefined> {
    return undefined;
  }

  release(): Promise<void> {
    return this.plan.release();
  }

  legMedia(): LegMedia {
    return this.plan.path.legMedia('target');
  }
}
