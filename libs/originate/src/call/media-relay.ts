import type { Leg } from '../legs/leg';
import type { LegMedia } from '../media/media.types';
import { refuseVideo } from '../media/no-video.media';

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

/** Video refused on either leg (Media-Video: false) stays refused in every later offer and answer between them. */
function filtered(from: Leg, to: Leg, sdp: string): string {
  return from.media?.video === false || to.media?.video === false ? refuseVideo(sdp) : sdp;
}

/** An offer `from`'s party made, as `to`'s party gets it: rtpengine's rewrite (process) or the SDP itself (bypass). */
export async function offerAcross(from: Leg, to: Leg, sdp: string): Promise<string> {
  const anchored = sharedAnchor(from, to);
  const offer = filtered(from, to, sdp);
  return filtered(from, to, anchored !== undefined ? await anchored.from.call.reoffer(anchored.from.tag, anchored.to.tag, offer) : toward(to, offer));
}

/** `to`'s answer to an offer `from` made, as `from`'s party gets it. */
export async function answerAcross(from: Leg, to: Leg, sdp: string): Promise<string> {
  const anchored = sharedAnchor(from, to);
  const answer = filtered(from, to, sdp);
  return filtered(from, to, anchored !== undefined ? await anchored.from.call.reanswer(anchored.from.tag, anchored.to.tag, answer) : toward(from, answer));
}

/**
 * The answer for a leg whose offer has nobody to go to (parked, or its peer still ringing): rtpengine answers for
 * the missing side (process), or our RFC 3725 black hole does (bypass). Undefined when neither is possible.
 */
export async function answerAlone(leg: Leg, sdp: string): Promise<string | undefined> {
  const media = leg.media;
  const offer = media?.video === false ? refuseVideo(sdp) : sdp;
  const answer = media?.anchor !== undefined ? await media.anchor.call.reanchor(media.anchor.tag, media.anchor.otherTag, offer) : media?.origin?.blackHole(offer);
  return answer !== undefined && media?.video === false ? refuseVideo(answer) : answer;
}
