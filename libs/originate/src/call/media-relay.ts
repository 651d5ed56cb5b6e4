import type { Leg } from '../legs/leg';
import type { LegMedia } from '../media/media.types';

type Anchor = NonNullable<LegMedia['anchor']>;

/** Both legs anchored in the same rtpengine session: offers and answers go through it. */
function sharedAnchor(a: Leg, b: Leg): { from: Anchor; to: Anchor } | undefined {
  const from = a.media?.anchor;
  const to = b.media?.anchor;
  return from !== undefined && to !== undefined && from.call === to.call ? { from, to } : undefined;
}

/** SDP as `leg`'s party must get it in bypass: under our own o= line when it was first answered under it. */
function toward(leg: Leg, sdp: string): string {
  return leg.media?.origin?.stamp(sdp) ?? sdp;
}

/** An offer `from`'s party made, as `to`'s party gets it: rtpengine's rewrite (process) or the SDP itself (bypass). */
export function offerAcross(from: Leg, to: Leg, sdp: string): Promise<string> {
  const anchored = sharedAnchor(from, to);
  return anchored !== undefined ? anchored.from.call.reoffer(anchored.from.tag, anchored.to.tag, sdp) : Promise.resolve(toward(to, sdp));
}

/** `to`'s answer to an offer `from` made, as `from`'s party gets it. */
export function answerAcross(from: Leg, to: Leg, sdp: string): Promise<string> {
  const anchored = sharedAnchor(from, to);
  return anchored !== undefined ? anchored.from.call.reanswer(anchored.from.tag, anchored.to.tag, sdp) : Promise.resolve(toward(from, sdp));
}

/**
 * The answer for a leg whose offer has nobody to go to (parked, or its peer still ringing): rtpengine answers for
 * the missing side (process), or our RFC 3725 black hole does (bypass). Undefined when neither is possible.
 */
export async function answerAlone(leg: Leg, sdp: string): Promise<string | undefined> {
  const media = leg.media;
  if (media?.anchor !== undefined) return media.anchor.call.reanchor(media.anchor.tag, media.anchor.otherTag, sdp);
  return media?.origin?.blackHole(sdp);
}
