import type { LegState } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { Leg } from '../legs/leg';
import type { HangupInfo, LegSignal, LegSink } from '../legs/leg.types';
import { type HoldMedia, holdMediaOf } from '../media/hold-music';
import type { MediaSession, RtpengineClient } from '../media/media.types';
import type { RecorderOptions } from '../recording/call-recorder';
import { CallControl } from './call-control';
import type { CallDeadlines, Expiring } from './call-deadlines';
import { CallNegotiation } from './call-negotiation';
import { type AttendedTransfers, acceptRefers } from './call-refer';
import { CALL_REACTIONS, type CallAction } from './call.reactions';
import { Pairing } from './pairing';
import type { Releasable } from './recording-anchor';

/** What a call needs from its engine: every leg id it takes on resolves to it. */
export interface CallHost extends AttendedTransfers {
  track(leg: Leg, call: Call): void;
  /** The leg ended (its events are out): its id no longer leads to this call. */
  untrack?(leg: Leg, call: Call): void;
  /** The call is over: every leg ended and its media is freed. */
  closed?(call: Call): void;
  /** Where the node keeps its calls' duration limits under one timer; without it each call sets its own. */
  readonly deadlines?: CallDeadlines;
  /** What a held party hears when rtpengine carries the call (silence when unset). */
  readonly holdMedia?: HoldMedia;
  /** Makes the leg's party reachable before we send it a request mid-dialog (a push device whose binding lapsed). */
  ensureReachable?(leg: Leg): Promise<void>;
  /** Where recordings go; unset, recording is disabled. */
  readonly recorder?: RecorderOptions;
  /** rtpengine, where a bypass call is anchored when it starts being recorded. */
  readonly rtpengine?: RtpengineClient;
  /** How long a party may take to answer a re-INVITE of ours before it counts as refusing (Timer B of the stack). */
  readonly reinviteTimeoutMs?: number;
}

/** Where a whole call stands, from its most advanced live leg. */
export type CallState = 'ringing' | 'answered' | 'bridged' | 'ended';

/**
 * One call on this node, from its first leg to the end of its last: it owns its legs, their pairing (data the
 * reactions consult, re-pointed by a transfer), its media sessions and its in-dialog negotiation. Legs tell it
 * what happened; what it does about each is the CALL_REACTIONS table.
 */
export class Call implements LegSink, Expiring {
  readonly pairing = new Pairing();
  readonly negotiation: CallNegotiation;
  /** Live commands on its legs: hold, unhold, retrieve, blind transfer. */
  readonly control: CallControl;
  // arrays rather than a Map and a Set: a call has a handful of legs and media plans, and keeps them for its life
  private legs: Leg[] = [];
  private medias: Releasable[] = [];
  private first: string | undefined;
  private stopCause: string | undefined;
  private work = 0;
  private closed = false;
  private maxTimer: NodeJS.Timeout | undefined;
  private deadline: number | undefined;
  /** Over and its media freed: what `done` waits for. */
  private finished = false;
  // made when first asked for: the node learns of the end through CallHost.closed, not by waiting on each call
  private donePromise: Promise<void> | undefined;
  private resolveDone: (() => void) | undefined;

  constructor(
    private readonly label: string,
    private readonly host: CallHost,
    private readonly logger: Logger,
  ) {
    const reach = (leg: Leg): Promise<void> => host.ensureReachable?.(leg) ?? Promise.resolve();
    this.negotiation = new CallNegotiation(this, logger, reach);
    this.control = new CallControl(this, host.holdMedia ?? holdMediaOf(undefined), logger, reach, host.recorder, {
      ...(host.rtpengine !== undefined ? { rtpengine: host.rtpengine } : {}),
      ...(host.reinviteTimeoutMs !== undefined ? { answerTimeoutMs: host.reinviteTimeoutMs } : {}),
    });
  }

  /** Resolves once the call is over: every leg ended and its media freed. */
  get done(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return (this.donePromise ??= new Promise((resolve) => (this.resolveDone = resolve)));
  }

  /** The first leg's id (the one the requester hears of first), or the request's label before any leg exists. */
  get id(): string {
    return this.first ?? this.label;
  }

  /** True once the call is being hung up as a whole: no new leg should start. */
  get stopped(): boolean {
    return this.stopCause !== undefined;
  }

  get allLegs(): Leg[] {
    return [...this.legs];
  }

  leg(legId: string): Leg | undefined {
    return this.legs.find((l) => l.callId === legId);
  }

  /** The call's state, or one leg's when the command names a leg. */
  state(): CallState {
    const live = this.allLegs.filter((l) => !l.ended);
    if (this.closed || live.length === 0) return 'ended';
    if (live.some((l) => l.state === 'bridged' || l.state === 'held')) return 'bridged';
    return live.some((l) => !l.ringing) ? 'answered' : 'ringing';
  }

  legState(legId: string): LegState | undefined {
    const leg = this.leg(legId);
    return leg === undefined ? undefined : leg.ended ? 'ended' : leg.state;
  }

  adopt(leg: Leg): Leg {
    this.first ??= leg.callId;
    const at = this.legs.findIndex((l) => l.callId === leg.callId);
    // concat sizes the new array exactly; a spread reserves room for 16 more, kept for the call's life
    this.legs = at >= 0 ? this.legs.map((l, i) => (i === at ? leg : l)) : this.legs.concat([leg]);
    leg.attach(this);
    this.host.track(leg, this);
    // a call hung up while a leg was being set up (a caller's CANCEL before its targets ring): that leg never rings
    if (this.stopCause !== undefined && leg.ringing) leg.cancel(this.stopCause);
    return leg;
  }

  /** Moves an answered leg into another call (bridging into an existing one); this call keeps nothing of it. */
  handOver(leg: Leg, to: Call): void {
    this.pairing.unpair(leg.callId);
    this.legs = this.legs.filter((l) => l !== leg);
    to.adopt(leg);
    if (leg.dialog !== undefined) {
      to.negotiation.watch(leg);
      acceptRefers(leg, to.control, this.logger, this.host);
    }
    this.settle();
  }

  pair(a: Leg, b: Leg): void {
    this.pairing.pair(a.callId, b.callId);
  }

  peerOf(leg: Leg): Leg | undefined {
    const peer = this.pairing.peerOf(leg.callId);
    return peer === undefined ? undefined : this.leg(peer);
  }

  /** A media plan (or a recording's rtpengine session) the call holds until its end (rtpengine ports are freed then). */
  useMedia<T extends Releasable = MediaSession>(media: T): T {
    if (!this.medias.includes(media)) this.medias = this.medias.concat([media]);
    return media;
  }

  /** Application work (dialling a B-leg) that may still add legs: the call is not over before it settles. */
  keep(work: Promise<unknown>): void {
    this.work += 1;
    void work.catch(() => undefined).finally(() => {
      this.work -= 1;
      this.settle();
    });
  }

  /** Ends everything: ringing legs are cancelled, answered ones hung up. Never throws. */
  hangup(cause: string): Promise<void> {
    this.stopCause ??= cause;
    for (const leg of [...this.legs]) this.endLeg(leg, cause);
    return Promise.resolve();
  }

  /** Legs that never sent their INVITE (a fault before dialling) end too: CHANNEL_DESTROY, channel given back. */
  endUnsent(cause: string): void {
    for (const leg of [...this.legs]) if (!leg.inviteSent) void leg.end({ cause });
  }

  endLeg(leg: Leg, cause: string): void {
    try {
      if (leg.ringing) leg.cancel(cause);
      else void leg.end({ cause });
    } catch (err) {
      this.logger.error({ err, callId: leg.callId }, 'hangup of a leg failed');
    }
  }

  /** Hangs the call up (ALLOTTED_TIMEOUT) this long from now, unless an earlier limit already stands: limits only ever shorten a call. */
  limitDuration(seconds: number): void {
    const deadline = Date.now() + seconds * 1000;
    const previous = this.deadline;
    if (previous !== undefined && previous <= deadline) return;
    this.deadline = deadline;
    if (this.host.deadlines !== undefined) {
      if (!this.closed) this.host.deadlines.set(this, deadline, previous);
      return;
    }
    if (this.maxTimer !== undefined) clearTimeout(this.maxTimer);
    this.maxTimer = setTimeout(() => this.expire(), seconds * 1000);
  }

  /** The duration limit passed: the whole call is hung up. */
  expire(): void {
    void this.hangup('ALLOTTED_TIMEOUT');
  }

  signal(leg: Leg, signal: LegSignal, _info?: HangupInfo): void {
    for (const action of CALL_REACTIONS[signal]) this.apply(action, leg);
    if (signal === 'ended') this.host.untrack?.(leg, this);
  }

  private apply(action: CallAction, leg: Leg): void {
    switch (action.kind) {
      case 'negotiate':
        this.negotiation.watch(leg);
        acceptRefers(leg, this.control, this.logger, this.host);
        return;
      case 'end_peer': {
        const peer = this.peerOf(leg);
        if (peer !== undefined && !peer.ended) this.endLeg(peer, action.cause);
        return;
      }
      case 'end_call_if_none_answered':
        if (!this.allLegs.some((l) => !l.ended && !l.ringing)) void this.hangup(action.cause);
        return;
      case 'end_call':
        void this.hangup(action.cause);
        return;
      case 'unpair':
        this.pairing.unpair(leg.callId);
        return;
      case 'settle':
        this.settle();
        return;
    }
  }

  /** Over once no application work is left and every leg ended (its events out): timers stop, media is freed, `done` resolves. */
  private settle(): void {
    if (this.closed || this.work > 0 || this.allLegs.some((l) => !l.ended)) return;
    this.closed = true;
    if (this.maxTimer !== undefined) clearTimeout(this.maxTimer);
    if (this.deadline !== undefined) this.host.deadlines?.remove(this, this.deadline);
    const medias = this.medias;
    this.medias = [];
    void Promise.all(this.allLegs.map((l) => l.done))
      .then(() => Promise.all(medias.map((m) => m.release().catch(() => undefined))))
      .then(() => {
        this.finished = true;
        this.resolveDone?.();
        this.host.closed?.(this);
      });
  }
}
