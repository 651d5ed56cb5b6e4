import { serializeSdp, toSdp } from '@legwork/sip';
import type { LegMedia, MediaMode, MediaSession } from './media.types';

/**
 * Every video stream of `sdp` refused with port 0, its m-line kept: an answer must list the offer's m-lines in
 * order (RFC 3264 §6) and a later offer may not drop one (§8), so removing it would break the pairing across legs.
 */
export function refuseVideo(sdp: string): string {
  const parsed = toSdp(sdp);
  if (!parsed.media.some((m) => m.type === 'video' && m.port !== 0)) return sdp;
  for (const m of parsed.media) if (m.type === 'video') m.port = 0;
  return serializeSdp(parsed);
}

/** `Media-Video: false`: the plan of one A-leg candidate with video refused in every SDP it relays between the legs. */
export class NoVideoMediaSession implements MediaSession {
  constructor(private readonly inner: MediaSession) {}

  get mode(): MediaMode {
    return this.inner.mode;
  }

  async answerA(offer: string): Promise<string> {
    return refuseVideo(await this.inner.answerA(refuseVideo(offer)));
  }

  async offerForB(webrtc?: boolean): Promise<string> {
    return refuseVideo(await this.inner.offerForB(webrtc));
  }

  async onBAnswer(answer: string): Promise<string | undefined> {
    const forA = await this.inner.onBAnswer(refuseVideo(answer));
    return forA === undefined ? undefined : refuseVideo(forA);
  }

  release(): Promise<void> {
    return this.inner.release();
  }

  legMedia(side: 'a' | 'b'): LegMedia {
    return { ...this.inner.legMedia(side), video: false };
  }
}
