export type { RtpengineClient } from './rtpengine/rtpengine.types';

export type MediaMode = 'bypass' | 'process';

/**
 * The media plan of one A-leg candidate joined to a B-leg by third-party call control:
 * A is INVITEd without SDP and ACKed at once, so its transaction never waits on B (RFC 3725).
 */
export interface MediaSession {
  readonly mode: MediaMode;
  /** A's offer from its 200 → the answer for A's ACK. */
  answerA(offer: string): Promise<string>;
  /** The offer to INVITE B with. */
  offerForB(): Promise<string>;
  /** B's SDP (early or final) → the SDP A must now get by re-INVITE, or undefined when A already has it. */
  onBAnswer(answer: string): Promise<string | undefined>;
  /** Frees whatever the plan holds (rtpengine ports); safe to call twice. */
  release(): Promise<void>;
}
