import { type SdpDirection, audioMedia, directionOf, isTelephoneEvent, mediaCodecs, serializeSdp, toSdp } from '@legwork/sip';
import type { NgDict } from './bencode.codec';
import { RtpengineError } from './rtpengine.errors';
import type { RtpengineClient } from './rtpengine.types';
import { WEBRTC_BRIDGE_CODECS, isWebRtcSdp, mediaToward, type SideMedia } from './webrtc-sides';

export interface AnchoredCallOptions {
  /** The ng call-id: one per A-leg (all B candidates share it). */
  callId: string;
  /** ng tags are labels of our own (rtpengine never reads SIP): default 'a' and 'b'. */
  aTag?: string;
  bTag?: string;
  /** Extra ng flags for every offer/answer. */
  flags?: string[];
}

/** Discard port: rtpengine sends A's audio there until a real B answer arrives. */
const BLACK_HOLE_PORT = 9;

const MIRROR: Record<SdpDirection, SdpDirection> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

/** Turns rtpengine's B-facing offer into a stand-in B answer: rtpengine's own address, discard port, mirrored direction. */
export function blackHoleAnswer(sdpForB: string, sdpA: string): string {
  const sdp = toSdp(sdpForB);
  const audio = audioMedia(sdp);
  if (audio !== undefined) {
    audio.port = BLACK_HOLE_PORT;
    delete audio.rtcp;
    audio.direction = MIRROR[directionOf(sdpA)];
  }
  delete sdp.direction;
  return serializeSdp(sdp);
}

/**
 * Keeps only the first audio codec (+ its telephone-event) so A and B cannot pick different codecs without transcoding;
 * the first of `prefer` the offer has wins over its order.
 */
export function pinFirstCodec(input: string, prefer: readonly string[] = []): string {
  const sdp = toSdp(input);
  const audio = audioMedia(sdp);
  if (audio === undefined) return input;
  const codecs = mediaCodecs(audio);
  const preferred = prefer.map((name) => codecs.find((c) => c.name.toUpperCase() === name.toUpperCase())).find((c) => c !== undefined);
  const first = preferred ?? codecs.find((c) => !isTelephoneEvent(c.name));
  if (first === undefined) return input;
  const keep = new Set([first.payload, ...codecs.filter((c) => isTelephoneEvent(c.name) && c.rate === first.rate).map((c) => c.payload)]);
  audio.payloads = [...keep].join(' ');
  audio.rtp = audio.rtp.filter((r) => keep.has(r.payload));
  audio.fmtp = audio.fmtp.filter((f) => keep.has(f.payload));
  return serializeSdp(sdp);
}

/**
 * The ng sequence for a 3PCC call anchored on rtpengine where the A-leg answers first (see README):
 * A's offer → `offer`; a stand-in B answer → `answer` gives A's final SDP at once;
 * every later B SDP (183 early media, 200, another fork) → `answer` again; `port latching` keeps A's port fixed throughout.
 */
export class AnchoredCall {
  readonly aTag: string;
  readonly bTag: string;
  private readonly flags: string[];
  private bOffer?: string;
  private sdpA?: string;
  /** Tags whose side is a browser (ICE, DTLS-SRTP): every SDP rtpengine writes toward them keeps WebRTC's profile. */
  private readonly webrtc = new Set<string>();
  /** A browser was a side at some point: every SDP then names its profile, since rtpengine keeps what it learned. */
  private bridging = false;

  constructor(
    private readonly client: RtpengineClient,
    private readonly opts: AnchoredCallOptions,
  ) {
    this.aTag = opts.aTag ?? 'a';
    this.bTag = opts.bTag ?? 'b';
    this.flags = ['port latching', ...(opts.flags ?? [])];
  }

  /**
   * Declares what the side tagged `tag` speaks before anything is offered to it (a browser reached over WebSocket,
   * a phone): rtpengine then writes ICE/DTLS-SRTP toward it or plain RTP. True when that changed the side's kind.
   */
  setWebRtc(tag: string, webrtc: boolean): boolean {
    if (this.webrtc.has(tag) === webrtc) return false;
    if (webrtc) this.markWebRtc(tag);
    else this.webrtc.delete(tag);
    return true;
  }

  /** A's SDP (from A's 200 to an offerless INVITE) → the answer to ACK A with, and the offer to INVITE B with. */
  async anchorA(sdpA: string): Promise<{ sdpForA: string; sdpForB: string }> {
    if (isWebRtcSdp(sdpA)) this.markWebRtc(this.aTag);
    this.sdpA = sdpA;
    const offer = await this.client.offer({ callId: this.opts.callId, fromTag: this.aTag, sdp: sdpA, flags: this.flags, label: this.aTag, ...this.toward(this.bTag) });
    const sdpForB = pinFirstCodec(offer.sdp, this.webrtc.has(this.aTag) ? WEBRTC_BRIDGE_CODECS : []);
    this.bOffer = sdpForB;
    const answer = await this.client.answer(this.answerParams(blackHoleAnswer(sdpForB, sdpA)));
    return { sdpForA: answer.sdp, sdpForB };
  }

  /**
   * The offer to INVITE B with, once B's target says what it speaks (it is known only after A answered): A's SDP is
   * offered again when B is a browser and the first offer was plain RTP, or the other way round.
   */
  async offerForB(webrtc: boolean): Promise<string> {
    if (this.bOffer === undefined || this.sdpA === undefined) throw new Error('anchorA must run before offerForB');
    if (!this.setWebRtc(this.bTag, webrtc)) return this.bOffer;
    // `reset`: what rtpengine learned of B (no ICE or DTLS from the stand-in answer, or a browser's) is forgotten; the profile is always named
    const offer = await this.client.offer({ callId: this.opts.callId, fromTag: this.aTag, toTag: this.bTag, sdp: this.sdpA, flags: [...this.flags, 'reset'], label: this.aTag, ...mediaToward(webrtc) });
    const pinned = pinFirstCodec(offer.sdp, this.webrtc.has(this.aTag) ? WEBRTC_BRIDGE_CODECS : []);
    // rtpengine re-offering a side it already answered takes the DTLS client role itself (RFC 8842 lets an offer say so)
    this.bOffer = webrtc ? pinned.replace(/^a=setup:actpass$/gm, 'a=setup:active') : pinned;
    return this.bOffer;
  }

  /** A B-leg SDP (183 or 200, from any fork): media now flows between A and that B; returns A's SDP (unchanged port, no re-INVITE needed). */
  async answerB(sdpB: string): Promise<string> {
    if (this.bOffer === undefined) throw new Error('anchorA must run before answerB');
    return (await this.client.answer(this.answerParams(sdpB))).sdp;
  }

  /** The first offer of the side tagged `fromTag` (an inbound caller's INVITE, or a target's 200 to an offerless one): the SDP for the other side, one codec. */
  async offerFrom(fromTag: string, sdp: string): Promise<string> {
    if (isWebRtcSdp(sdp)) this.markWebRtc(fromTag);
    const offer = await this.client.offer({ callId: this.opts.callId, fromTag, sdp, flags: this.flags, label: fromTag, ...this.toward(fromTag === this.aTag ? this.bTag : this.aTag) });
    return pinFirstCodec(offer.sdp, this.webrtc.has(fromTag) ? WEBRTC_BRIDGE_CODECS : []);
  }

  /**
   * A re-offer in the established call (re-INVITE or UPDATE from the side tagged `fromTag`): the SDP to offer
   * the other side, trimmed to one codec as the first offer was.
   */
  async reoffer(fromTag: string, toTag: string, sdp: string): Promise<string> {
    const offer = await this.client.offer({ callId: this.opts.callId, fromTag, toTag, sdp, flags: this.flags, label: fromTag, ...this.toward(toTag) });
    return pinFirstCodec(offer.sdp, this.webrtc.has(fromTag) ? WEBRTC_BRIDGE_CODECS : []);
  }

  /** The other side's answer to a re-offer: the SDP to answer the offering side with. */
  async reanswer(fromTag: string, toTag: string, sdp: string): Promise<string> {
    return (await this.client.answer({ callId: this.opts.callId, fromTag, toTag, sdp, flags: this.flags, label: toTag, ...this.toward(fromTag) })).sdp;
  }

  /** A re-offer from a side whose other side is not there to answer (a parked leg, a B-leg still ringing): rtpengine answers for it, as at the start. */
  async reanchor(fromTag: string, toTag: string, sdp: string): Promise<string> {
    const forOther = await this.reoffer(fromTag, toTag, sdp);
    return this.reanswer(fromTag, toTag, blackHoleAnswer(forOther, sdp));
  }

  /** Plays media to the side tagged `tag` (music on hold) until stopPlayingTo; `media` is a file on rtpengine's host or a blob. */
  async playTo(tag: string, media: { file: string } | { blob: Buffer }, repeatTimes: number): Promise<void> {
    await this.client.command('play media', { 'call-id': this.opts.callId, 'from-tag': tag, ...media, 'repeat-times': repeatTimes });
  }

  /** Stops what playTo started; nothing playing is not an error. */
  async stopPlayingTo(tag: string): Promise<void> {
    await this.tolerant(() => this.client.command('stop media', { 'call-id': this.opts.callId, 'from-tag': tag }));
  }

  /** Drops the media the side tagged `tag` sends (a held party hears the music, not the other side). */
  async block(tag: string): Promise<void> {
    await this.client.command('block media', { 'call-id': this.opts.callId, 'from-tag': tag });
  }

  async unblock(tag: string): Promise<void> {
    await this.tolerant(() => this.client.command('unblock media', { 'call-id': this.opts.callId, 'from-tag': tag }));
  }

  /** Asks rtpengine for a copy of what the sides tagged `fromTags` send: its offer (one m-line per side) and the subscription's tag. */
  async subscribe(fromTags: string[]): Promise<{ toTag: string; sdp: string; raw: NgDict }> {
    const raw = await this.client.command('subscribe request', { 'call-id': this.opts.callId, 'from-tags': fromTags, flags: ['SIPREC'] });
    if (typeof raw.sdp !== 'string' || typeof raw['to-tag'] !== 'string') throw new RtpengineError('rtpengine_bad_reply', 'subscribe request reply has no sdp or to-tag', { callId: this.opts.callId });
    return { toTag: raw['to-tag'], sdp: raw.sdp, raw };
  }

  /** Where the copy goes: the subscriber's answer to the offer `subscribe` returned. */
  async subscribeAnswer(toTag: string, sdp: string): Promise<void> {
    await this.client.command('subscribe answer', { 'call-id': this.opts.callId, 'to-tag': toTag, sdp });
  }

  /** Ends a subscription; one rtpengine no longer knows (the call already deleted) is fine. */
  async unsubscribe(toTag: string): Promise<void> {
    await this.tolerant(() => this.client.command('unsubscribe', { 'call-id': this.opts.callId, 'to-tag': toTag }));
  }

  /** Frees rtpengine's ports at once; safe to call twice (an unknown call is not an error here). */
  async delete(): Promise<NgDict | undefined> {
    try {
      return await this.client.delete({ callId: this.opts.callId });
    } catch (err) {
      if (err instanceof RtpengineError && err.code === 'rtpengine_error') return undefined;
      throw err;
    }
  }

  /** rtpengine's own refusal (nothing to stop, call already gone) is fine for an undo; no answer at all is not. */
  private async tolerant(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof RtpengineError && err.code === 'rtpengine_error')) throw err;
    }
  }

  private answerParams(sdp: string): { callId: string; fromTag: string; toTag: string; sdp: string; flags: string[]; label: string } & SideMedia {
    return { callId: this.opts.callId, fromTag: this.aTag, toTag: this.bTag, sdp, flags: this.flags, label: this.bTag, ...this.toward(this.aTag) };
  }

  /** How rtpengine writes the SDP that goes to `tag`'s side; plain RTP on both sides is left as it always was. */
  private toward(tag: string): SideMedia {
    if (this.webrtc.has(tag)) return mediaToward(true);
    return this.bridging ? mediaToward(false) : { ice: 'remove', extra: {} };
  }

  private markWebRtc(tag: string): void {
    this.webrtc.add(tag);
    this.bridging = true;
  }
}
