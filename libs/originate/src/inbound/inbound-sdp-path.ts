import { AnchoredCall } from '../media/rtpengine/anchored-call';
import type { LegMedia, MediaMode, RtpengineClient } from '../media/media.types';

/** How SDP crosses between an inbound caller and the target that answers: as it is (bypass) or through rtpengine (process). */
export interface InboundSdpPath {
  readonly mode: MediaMode;
  /** The caller's offer (its INVITE) → the offer the targets are INVITEd with; `webrtc`: the targets are browsers. */
  fromCaller(offer: string, webrtc?: boolean): Promise<string>;
  /** A target's answer to that offer → the answer in the caller's 200. */
  toCaller(answer: string): Promise<string>;
  /** Late offer: the answering target's offer (its 200) → the offer in the caller's 200. */
  fromTarget(offer: string): Promise<string>;
  /** Late offer: the caller's answer (its ACK) → the answer in the target's ACK. */
  toTarget(answer: string): Promise<string>;
  /** The path as each answered side sees it, for in-dialog offers later. */
  legMedia(side: 'caller' | 'target'): LegMedia;
  /** Frees what the path holds; safe to call twice. */
  release(): Promise<void>;
}

const same = (sdp: string): Promise<string> => Promise.resolve(sdp);

/** Bypass: the endpoints' own SDP both ways, so RTP flows between them directly. */
export function bypassPath(): InboundSdpPath {
  return {
    mode: 'bypass', fromCaller: same, toCaller: same, fromTarget: same, toTarget: same,
    legMedia: () => ({ mode: 'bypass' }),
    release: () => Promise.resolve(),
  };
}

const CALLER = 'a';
const TARGET = 'b';

/** Process: one rtpengine call per inbound call, the caller tagged `a` and every target `b` (forks share the tag as B candidates do). */
export class AnchoredInboundPath implements InboundSdpPath {
  readonly mode = 'process' as const;
  private readonly call: AnchoredCall;
  private inFlight: Promise<unknown> = Promise.resolve();
  private used = false;
  private released = false;

  constructor(rtpengine: RtpengineClient, callId: string) {
    this.call = new AnchoredCall(rtpengine, { callId, aTag: CALLER, bTag: TARGET });
  }

  fromCaller(offer: string, webrtc = false): Promise<string> {
    this.call.setWebRtc(TARGET, webrtc);
    return this.track(this.call.offerFrom(CALLER, offer));
  }

  toCaller(answer: string): Promise<string> {
    return this.track(this.call.reanswer(CALLER, TARGET, answer));
  }

  fromTarget(offer: string): Promise<string> {
    return this.track(this.call.offerFrom(TARGET, offer));
  }

  toTarget(answer: string): Promise<string> {
    return this.track(this.call.reanswer(TARGET, CALLER, answer));
  }

  legMedia(side: 'caller' | 'target'): LegMedia {
    const [tag, otherTag] = side === 'caller' ? [CALLER, TARGET] : [TARGET, CALLER];
    return { mode: 'process', anchor: { call: this.call, tag, otherTag } };
  }

  async release(): Promise<void> {
    if (this.released || !this.used) return;
    this.released = true;
    // an offer still in flight would recreate the call after our delete
    await this.inFlight.catch(() => undefined);
    await this.call.delete();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.used = true;
    this.inFlight = work.catch(() => undefined);
    return work;
  }
}
