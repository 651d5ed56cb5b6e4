import type { ResolvedEndpoint } from '../engine/originate.types';
import type { AnsweredA, CallApplication, SessionView } from '../applications/application.types';
import type { InboundLeg } from './inbound-leg';
import type { InboundMedia } from './inbound-media';
import { isWebRtcTarget } from '../media/rtpengine/webrtc-sides';

/**
 * The application of an inbound call: the caller's leg is on the Call before anything rings; the target that
 * answers is bridged to it (the caller is answered with that target's answer), so the call is one long-lived
 * Call like any other (hangup, in-dialog offers, commands).
 */
export class InboundBridgeApplication implements CallApplication {
  readonly name = 'inbound';
  private leg: InboundLeg | undefined;

  constructor(private readonly media: InboundMedia) {}

  /** The caller's leg, adopted by the session's Call before it runs. */
  bind(leg: InboundLeg): void {
    this.leg = leg;
  }

  private get caller(): InboundLeg {
    if (this.leg === undefined) throw new Error('inbound application has no caller leg');
    return this.leg;
  }

  async prepare(_s: SessionView, ringing: ResolvedEndpoint[] = []): Promise<void> {
    // the targets are about to ring: the caller hears ringing, and their INVITEs' offer is made
    await this.caller.sendRinging();
    // a device reached over WebSocket is a browser; one woken by a push has no flow yet, so it counts as a phone
    await this.media.prepare(ringing.length > 0 && ringing.every((e) => e.push === undefined && isWebRtcTarget(e.target)));
  }

  dialled(): ResolvedEndpoint[] {
    return [];
  }

  otherLegCallId(): string {
    return this.caller.callId;
  }

  async start(s: SessionView, a: AnsweredA): Promise<void> {
    const caller = this.caller;
    if (caller.ended) {
      await a.leg.end({ cause: 'ORIGINATOR_CANCEL' });
      return;
    }
    s.call.pair(caller, a.leg);
    try {
      await this.media.answerCaller(a.leg.callId, a.dialog);
    } catch {
      // the caller went (CANCEL racing the answer), never ACKed our 200, ACKed a late offer without an answer, or rtpengine failed
      if (!caller.ended) await (caller.incoming.replied ? caller.end({ cause: 'RECOVERY_ON_TIMER_EXPIRE' }) : caller.reject('MEDIA_SERVER_UNAVAILABLE'));
      if (!a.leg.ended) await a.leg.end({ cause: 'ORIGINATOR_CANCEL' });
      return;
    }
    // the caller's CHANNEL_BRIDGE first, as FreeSWITCH's A-leg (the inbound one) reports it
    await caller.bridge(a.leg);
    await a.leg.bridge(caller);
  }
}
