import type { AnchoredCall } from './rtpengine/anchored-call';
import type { SdpOrigin } from './sdp-rewrite';

export type { RtpengineClient } from './rtpengine/rtpengine.types';

export type MediaMode = 'bypass' | 'process';

/** How the node speaks SDP to one answered leg: the media path of the call, seen from that leg. */
export interface LegMedia {
  readonly mode: MediaMode;
  /** Bypass: our o= line, put on everything we send this leg (it was first answered under it). */
  readonly origin?: SdpOrigin;
  /** Process: the rtpengine session the leg is anchored in, its own ng tag there and the other side's. */
  readonly anchor?: { call: AnchoredCall; tag: string; otherTag: string };
  /** false: video streams are refused (port 0) in everything relayed to or from this leg (Media-Video: false). */
  readonly video?: false;
}

/**
 * The media plan of one A-leg candidate joined to a B-leg by third-party call control:
 * A is INVITEd without SDP and ACKed at once, so its transaction never waits on B (RFC 3725).
 */
export interface MediaSession {
  readonly mode: MediaMode;
  /** A's offer from its 200 → the answer for A's ACK. */
  answerA(offer: string): Promise<string>;
  /** The offer to INVITE B with; `webrtc`: B is a browser (reached over WebSocket), which needs ICE/DTLS-SRTP. */
  offerForB(webrtc?: boolean): Promise<string>;
  /** B's SDP (early or final) → the SDP A must now get by re-INVITE, or undefined when A already has it. */
  onBAnswer(answer: string): Promise<string | undefined>;
  /** Frees whatever the plan holds (rtpengine ports); safe to call twice. */
  release(): Promise<void>;
  /** The path as one side sees it once answered: `a` the leg answered first, `b` the one joined to it. */
  legMedia(side: 'a' | 'b'): LegMedia;
}
