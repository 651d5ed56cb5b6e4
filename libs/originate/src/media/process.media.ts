import { AnchoredCall } from './rtpengine/anchored-call';
import type { LegMedia, MediaSession, RtpengineClient } from './media.types';

/** Process: RTP anchored on rtpengine; A gets rtpengine's SDP in its ACK and keeps it, B's SDP only updates rtpengine. */
export class ProcessMediaSession implements MediaSession {
  readonly mode = 'process' as const;
  private readonly call: AnchoredCall;
  /** The ACK to A waits on this while the call already counts as answered, so B's offer must wait on it too. */
  private anchoring: Promise<{ sdpForA: string; sdpForB: string }> | undefined;
  private released = false;

  constructor(rtpengine: RtpengineClient, callId: string) {
    this.call = new AnchoredCall(rtpengine, { callId });
  }

  async answerA(offer: string): Promise<string> {
    const anchoring = this.call.anchorA(offer);
    this.anchoring = anchoring;
    anchoring.catch(() => undefined);
    return (await anchoring).sdpForA;
  }

  async offerForB(webrtc = false): Promise<string> {
    if (this.anchoring === undefined) throw new Error('A-leg offer not anchored yet');
    await this.anchoring;
    return this.call.offerForB(webrtc);
  }

  async onBAnswer(answer: string): Promise<undefined> {
    await this.anchoring;
    await this.call.answerB(answer);
    return undefined;
  }

  legMedia(side: 'a' | 'b'): LegMedia {
    const { aTag, bTag } = this.call;
    return { mode: 'process', anchor: side === 'a' ? { call: this.call, tag: aTag, otherTag: bTag } : { call: this.call, tag: bTag, otherTag: aTag } };
  }

  async release(): Promise<void> {
    if (this.released || this.anchoring === undefined) return;
    this.released = true;
    // an offer still in flight would recreate the call after our delete
    await this.anchoring.catch(() => undefined);
    await this.call.delete();
  }
}
