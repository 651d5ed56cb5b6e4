import type { Leg } from '../legs/leg';
import type { LegMedia, MediaMode, MediaSession } from '../media/media.types';

/**
 * The media plan of a blind transfer: the remaining party, already answered, stands where an A-leg would, and the
 * new destination is offered its session. Through rtpengine the destination takes the leaving leg's tag, so the
 * remaining party keeps its port and needs no re-INVITE; in bypass it is re-INVITEd with the destination's answer.
 */
export class TransferMedia implements MediaSession {
  readonly mode: MediaMode;

  constructor(private readonly remaining: Leg) {
    this.mode = remaining.media?.mode ?? 'bypass';
  }

  async answerA(): Promise<string> {
    throw new Error('a transfer has no A-leg offer to answer');
  }

  async offerForB(webrtc = false): Promise<string> {
    const sdp = this.remaining.remoteSdp;
    if (sdp === undefined) throw new Error(`call ${this.remaining.callId} has no session to transfer`);
    const anchor = this.remaining.media?.anchor;
    if (anchor === undefined) return sdp;
    // the destination takes the leaving side's tag: what rtpengine writes toward it follows the destination's kind
    anchor.call.setWebRtc(anchor.otherTag, webrtc);
    return anchor.call.reoffer(anchor.tag, anchor.otherTag, sdp);
  }

  async onBAnswer(answer: string): Promise<string | undefined> {
    const anchor = this.remaining.media?.anchor;
    if (anchor === undefined) return this.remaining.media?.origin?.stamp(answer) ?? answer;
    await anchor.call.reanswer(anchor.tag, anchor.otherTag, answer);
    return undefined;
  }

  async release(): Promise<void> {
    // the call's own media plan holds the rtpengine session and frees it when the call ends
  }

  legMedia(): LegMedia {
    const anchor = this.remaining.media?.anchor;
    return anchor !== undefined ? { mode: 'process', anchor: { call: anchor.call, tag: anchor.otherTag, otherTag: anchor.tag } } : { mode: 'bypass' };
  }
}
