import type { LegMedia, MediaSession } from './media.types';
import { SdpOrigin } from './sdp-rewrite';

/** Bypass: the endpoints' own SDP is relayed (RFC 3725 flow IV): A held first, then re-INVITEd with B's answer. */
export class BypassMediaSession implements MediaSession {
  readonly mode = 'bypass' as const;
  private aOffer: string | undefined;

  constructor(private readonly origin: SdpOrigin) {}

  async answerA(offer: string): Promise<string> {
    this.aOffer = offer;
    return this.origin.blackHole(offer);
  }

  async offerForB(): Promise<string> {
    if (this.aOffer === undefined) throw new Error('A-leg offer not received yet');
    return this.aOffer;
  }

  async onBAnswer(answer: string): Promise<string> {
    return this.origin.stamp(answer);
  }

  async release(): Promise<void> {
    // nothing is held for a bypassed call
  }

  /** A was answered under our origin first and keeps it; B saw A's own SDP and gets the relayed SDP as it is. */
  legMedia(side: 'a' | 'b'): LegMedia {
    return side === 'a' ? { mode: 'bypass', origin: this.origin } : { mode: 'bypass' };
  }
}
