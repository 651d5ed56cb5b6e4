import type { Logger } from '@legwork/common';
import { audioMedia, serializeSdp, toSdp } from '@legwork/sip';
import type { Leg } from '../legs/leg';
import type { LegMedia, RtpengineClient } from '../media/media.types';
import { refuseVideo } from '../media/no-video.media';
import { AnchoredCall } from '../media/rtpengine/anchored-call';
import { CallControlError } from './call-control.errors';
import type { CallNegotiation } from './call-negotiation';
import { reofferLeg } from './leg-reinvite';

/** Something the call frees at its end (an rtpengine session). */
export interface Releasable {
  release(): Promise<void>;
}

/** What anchoring needs of the call: one negotiation at a time, and a session freed when the call ends. */
export interface AnchoringCall {
  readonly negotiation: CallNegotiation;
  useMedia(media: Releasable): unknown;
}

/** Why a bypass call stays unrecorded: the dialects say "recording is disabled" for this code. */
const disabled = (message: string, leg: Leg): CallControlError => new CallControlError('recording_disabled', message, leg.state);

/** The SDP in `sdp` under the o= line of the session in force toward the party, one version up (RFC 3264 §8). */
function underOrigin(leg: Leg, sdp: string): string {
  if (leg.media?.origin !== undefined) return leg.media.origin.stamp(sdp);
  const inForce = leg.localSdp;
  if (inForce === undefined) return sdp;
  const next = toSdp(sdp);
  const origin = toSdp(inForce).origin;
  next.origin = { ...origin, sessionVersion: origin.sessionVersion + 1 };
  return serializeSdp(next);
}

/** Where a party's audio comes from: a changed answer must reach rtpengine too. */
function audioAt(sdp: string): string {
  const parsed = toSdp(sdp);
  const audio = audioMedia(parsed);
  return `${audio?.connection?.ip ?? parsed.connection?.ip ?? ''}:${audio?.port ?? ''}`;
}

/** Video refused on either leg (Media-Video: false) stays refused in what rtpengine offers them. */
function filtered(leg: Leg, peer: Leg, sdp: string): string {
  return leg.media?.video === false || peer.media?.video === false ? refuseVideo(sdp) : sdp;
}

/** rtpengine's ports as the leg's media from now on; bypass's origin and the video choice stay. */
function anchoredMedia(leg: Leg, call: AnchoredCall, tag: string, otherTag: string): LegMedia {
  return { ...leg.media, mode: 'process', anchor: { call, tag, otherTag } };
}

/** Where the anchoring happens, and how long a party may take to answer its re-INVITE (RFC 3261 Timer B by default). */
export interface AnchoringOptions {
  rtpengine?: RtpengineClient;
  answerTimeoutMs?: number;
}

const TIMER_B_MS = 32_000;

/**
 * Moves a bypass call's media onto rtpengine so it can be recorded: one rtpengine session from the two parties'
 * current SDPs, then a re-INVITE of each party with rtpengine's side of it. A refusal (or no answer) undoes what was
 * done (the party already moved is re-INVITEd back, the session deleted) and rejects with recording_disabled.
 */
export class RecordingAnchor {
  private readonly answerTimeoutMs: number;

  constructor(
    private readonly call: AnchoringCall,
    private readonly opts: AnchoringOptions,
    private readonly logger: Logger,
  ) {
    this.answerTimeoutMs = opts.answerTimeoutMs ?? TIMER_B_MS;
  }

  async anchor(leg: Leg, peer: Leg | undefined): Promise<void> {
    const rtpengine = this.opts.rtpengine;
    if (rtpengine === undefined) throw disabled(`the media of call ${leg.callId} bypasses rtpengine and this media node has none to anchor it on`, leg);
    if (peer === undefined || peer.ended || peer.ringing || peer.dialog === undefined) throw disabled(`call ${leg.callId} has no answered party to record with`, leg);
    if (leg.dialog === undefined || leg.remoteSdp === undefined || peer.remoteSdp === undefined) throw disabled(`call ${leg.callId} has no session known on both sides to anchor`, leg);
    await this.call.negotiation.run(() => this.move(rtpengine, leg, peer));
  }

  private async move(rtpengine: RtpengineClient, leg: Leg, peer: Leg): Promise<void> {
    const [sdpLeg, sdpPeer, restoreLeg, restorePeer] = [leg.remoteSdp ?? '', peer.remoteSdp ?? '', leg.localSdp, peer.localSdp];
    const call = new AnchoredCall(rtpengine, { callId: `rec-${leg.callId}`, aTag: 'named', bTag: 'other' });
    let released = false;
    const session: Releasable = {
      release: async () => {
        if (released) return;
        released = true;
        await call.delete();
      },
    };
    this.call.useMedia(session);
    let forPeer: string;
    let forLeg: string;
    try {
      forPeer = await call.offerFrom(call.aTag, sdpLeg);
      forLeg = await call.reanswer(call.aTag, call.bTag, sdpPeer);
    } catch (err) {
      await this.undo(session, leg);
      throw disabled(`rtpengine could not anchor call ${leg.callId}: ${err instanceof Error ? err.message : String(err)}`, leg);
    }
    const legAnswer = await this.offer(leg, filtered(leg, peer, forLeg), restoreLeg);
    if (legAnswer instanceof CallControlError) {
      await this.undo(session, leg);
      throw legAnswer;
    }
    const peerAnswer = await this.offer(peer, filtered(leg, peer, forPeer), restorePeer);
    if (peerAnswer instanceof CallControlError) {
      // the named leg already sends to rtpengine: back to the other party's own session
      if (restoreLeg !== undefined) await this.restore(leg, restoreLeg);
      await this.undo(session, leg);
      throw peerAnswer;
    }
    await this.refresh(call, { sdpLeg, sdpPeer }, { legAnswer, peerAnswer }, leg);
    leg.media = anchoredMedia(leg, call, call.aTag, call.bTag);
    peer.media = anchoredMedia(peer, call, call.bTag, call.aTag);
    this.logger.info({ callId: leg.callId, peer: peer.callId }, 'bypass call anchored on rtpengine for recording');
  }

  /** A party that answered from another address than it used before: rtpengine is told, its ports stay (port latching). */
  private async refresh(call: AnchoredCall, before: { sdpLeg: string; sdpPeer: string }, after: { legAnswer: string; peerAnswer: string }, leg: Leg): Promise<void> {
    if (audioAt(before.sdpLeg) === audioAt(after.legAnswer) && audioAt(before.sdpPeer) === audioAt(after.peerAnswer)) return;
    try {
      await call.reoffer(call.aTag, call.bTag, after.legAnswer);
      await call.reanswer(call.aTag, call.bTag, after.peerAnswer);
    } catch (err) {
      // rtpengine still learns each side's address from the RTP it gets
      this.logger.warn({ err, callId: leg.callId }, 'rtpengine not told of a changed party address');
    }
  }

  /**
   * Our re-INVITE with `sdp`: the party's answer, or the refusal as the command's error. A party that sent 100 and no
   * final answer in time counts as refusing; should its 2xx come later, it is moved back to `before`.
   */
  private async offer(leg: Leg, sdp: string, before?: string): Promise<string | CallControlError> {
    if (leg.dialog === undefined) return disabled(`call ${leg.callId} has no dialog to re-INVITE`, leg);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.answerTimeoutMs)));
    try {
      const sent = reofferLeg(leg, underOrigin(leg, sdp));
      const outcome = await Promise.race([sent, late]);
      if (outcome === 'late') {
        void sent.then((o) => (o.ok && before !== undefined ? this.restore(leg, before) : undefined), () => undefined);
        return disabled(`the party of call ${leg.callId} did not answer the re-INVITE moving its media to rtpengine within ${this.answerTimeoutMs} ms`, leg);
      }
      if (!outcome.ok) return disabled(`the party of call ${leg.callId} refused to move its media to rtpengine for recording (${outcome.status} ${outcome.reason})`, leg);
      return outcome.answer;
    } catch (err) {
      return disabled(`the party of call ${leg.callId} did not answer the re-INVITE moving its media to rtpengine: ${err instanceof Error ? err.message : String(err)}`, leg);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The leg's party back on the session it had before the anchoring (the other party's own SDP). */
  private async restore(leg: Leg, before: string): Promise<void> {
    const back = await this.offer(leg, before);
    if (back instanceof CallControlError) this.logger.error({ callId: leg.callId, reason: back.message }, 'media of a party not moved back off rtpengine');
  }

  private async undo(session: Releasable, leg: Leg): Promise<void> {
    await session.release().catch((err: unknown) => this.logger.warn({ err, callId: leg.callId }, 'rtpengine session of a failed anchoring not deleted'));
  }
}
