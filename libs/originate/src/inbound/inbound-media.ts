import type { LegMedia, MediaSession } from '../media/media.types';

/**
 * Bypass for an inbound call: the caller's offer goes to the targets as it is and the answered one's answer
 * goes back, so the endpoints exchange RTP directly; later re-offers are relayed as they are too.
 */
export class InboundBypassMedia implements MediaSession {
  readonly mode = 'bypass' as const;

  constructor(private readonly offer: string) {}

  // the target's 200 answers the caller's offer: there is no offer of its own to answer
  async answerA(): Promise<string> {
    throw new Error('an inbound target answers the caller offer; it makes none');
  }

  async offerForB(): Promise<string> {
    return this.offer;
  }

  async onBAnswer(): Promise<undefined> {
    return undefined;
  }

  async release(): Promise<void> {
    // nothing is held for a bypassed call
  }

  legMedia(): LegMedia {
    return { mode: 'bypass' };
  }
}
