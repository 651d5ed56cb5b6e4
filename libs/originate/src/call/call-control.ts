import type { Logger } from '@legwork/common';
import type { Leg } from '../legs/leg';
import type { HoldMedia } from '../media/hold-music';
import type { RecorderOptions } from '../recording/call-recorder';
import type { CallNegotiation } from './call-negotiation';
import { CallRecording, type RecordingState } from './call-recording';
import { type AnchoringCall, type AnchoringOptions, RecordingAnchor } from './recording-anchor';
import { CallControlError } from './call-control.errors';
import { heldByUs, holdLeg, stopHoldMedia, unholdLeg } from './call-hold';

/** Dials a blind transfer's destination for the remaining party: the session that set the call up knows how. */
export interface TransferDialer {
  /** Refuses (transfer_failed) when the route leads nowhere; else ends `leaving` (after `opts.beforeLeave`) and dials the route for `remaining` in the background. */
  blindTransfer(leaving: Leg, remaining: Leg, route: string, opts?: TransferOptions): Promise<void>;
  /** Refuses (transfer_failed) when the route has no other device than `leaving`'s; else rings them for `remaining` in the background. */
  retrieve(leaving: Leg, remaining: Leg, route: string): Promise<void>;
}

export interface TransferOptions {
  /** Runs once the transfer is sure to go ahead, before the leaving leg ends (a REFER's final NOTIFY). */
  beforeLeave?: () => Promise<void>;
}

/** What control needs of its call. */
export interface ControlledLegs extends AnchoringCall {
  readonly negotiation: CallNegotiation;
  leg(legId: string): Leg | undefined;
  peerOf(leg: Leg): Leg | undefined;
}

/** Live control of one leg of a call; each rejects with a CallControlError naming the state it found. */
export interface LegControls {
  hold(legId: string): Promise<string>;
  unhold(legId: string): Promise<string>;
  /** Off hold when held, and left as it is otherwise (reconnect's own half). */
  retrieve(legId: string): Promise<string>;
  /** Resolves with the remaining party's leg id once the destination is being dialled. */
  blindTransfer(legId: string, to: string, opts?: TransferOptions): Promise<string>;
  /** Call retrieve: `route`'s other devices ring; the one that answers takes the leg's place. Resolves with the remaining party's leg id once they ring. */
  pull(legId: string, route: string): Promise<string>;
  /** The call's recording; each resolves with the recording's id. */
  record(legId: string, action: RecordAction): Promise<string>;
  /** Where the call's recording stands. */
  readonly recordingState: RecordingState;
}

export type RecordAction = 'start' | 'pause' | 'resume' | 'stop';

/** The state a control command reports for a leg: `held` while we hold its party. */
export function controlState(leg: Leg | undefined): string {
  if (leg === undefined || leg.ended) return 'ended';
  return heldByUs(leg) ? 'held' : leg.state;
}

const invalid = (message: string, state: string): CallControlError => new CallControlError('invalid_state', message, state);

/** Hold, unhold, retrieve and blind transfer on the legs of one call. */
export class CallControl implements LegControls {
  /** Set by the session that answered the call; a call without one cannot be transferred. */
  dialer: TransferDialer | undefined;
  // made on the first recording command: most calls are never recorded
  private recordingOf: CallRecording | undefined;

  constructor(
    private readonly call: ControlledLegs,
    private readonly media: HoldMedia,
    private readonly logger: Logger,
    /** Runs before a request goes to a leg's party (a push device whose binding lapsed is woken first). */
    private readonly reach: (leg: Leg) => Promise<void> = () => Promise.resolve(),
    private readonly recorder?: RecorderOptions,
    /** Where a bypass call is anchored to be recorded; without rtpengine such a call cannot be. */
    private readonly anchoring: AnchoringOptions = {},
  ) {}

  get recordingState(): RecordingState {
    return this.recordingOf?.state ?? 'idle';
  }

  private get recording(): CallRecording {
    if (this.recordingOf === undefined) {
      const anchor = new RecordingAnchor(this.call, this.anchoring, this.logger);
      this.recordingOf = new CallRecording(this.recorder, this.logger, (leg, peer) => anchor.anchor(leg, peer));
    }
    return this.recordingOf;
  }

  /** Both sides of the call go to one file; the leg named is the left channel. */
  async record(legId: string, action: RecordAction): Promise<string> {
    const leg = this.answered(legId);
    switch (action) {
      case 'start':
        return this.recording.start(leg, this.call.peerOf(leg));
      case 'pause':
        return this.recording.pause(leg);
      case 'resume':
        return this.recording.resume(leg);
      case 'stop':
        return this.recording.stop(leg, this.call.peerOf(leg));
    }
  }

  async hold(legId: string): Promise<string> {
    const leg = this.answered(legId);
    if (heldByUs(leg)) throw invalid(`call ${legId} is already on hold`, 'held');
    await this.reach(leg);
    await holdLeg(this.call.negotiation, leg, this.media, this.logger);
    return controlState(leg);
  }

  async unhold(legId: string): Promise<string> {
    const leg = this.answered(legId);
    if (!heldByUs(leg)) throw invalid(`call ${legId} is not on hold`, controlState(leg));
    await this.reach(leg);
    await unholdLeg(this.call.negotiation, leg, this.logger);
    return controlState(leg);
  }

  async retrieve(legId: string): Promise<string> {
    const leg = this.answered(legId);
    if (heldByUs(leg)) {
      await this.reach(leg);
      await unholdLeg(this.call.negotiation, leg, this.logger);
    }
    return controlState(leg);
  }

  async blindTransfer(legId: string, to: string, opts: TransferOptions = {}): Promise<string> {
    const leg = this.answered(legId);
    const remaining = this.call.peerOf(leg);
    if (remaining === undefined || remaining.ended || remaining.ringing) throw invalid(`call ${legId} has no answered party to transfer`, controlState(leg));
    const dialer = this.dialer;
    if (dialer === undefined) throw new CallControlError('transfer_failed', `call ${legId} cannot be transferred`, controlState(leg));
    // the remaining party talks to the new destination, so it comes off hold; music toward the leaving one stops
    if (heldByUs(remaining)) {
      await this.reach(remaining);
      await unholdLeg(this.call.negotiation, remaining, this.logger);
    }
    if (heldByUs(leg)) await stopHoldMedia(leg, this.logger);
    await dialer.blindTransfer(leg, remaining, to, opts);
    return remaining.callId;
  }

  async pull(legId: string, route: string): Promise<string> {
    const leg = this.answered(legId);
    const remaining = this.call.peerOf(leg);
    if (remaining === undefined || remaining.ended || remaining.ringing) throw invalid(`call ${legId} has no answered party to retrieve`, controlState(leg));
    const dialer = this.dialer;
    if (dialer === undefined) throw new CallControlError('transfer_failed', `call ${legId} cannot be retrieved`, controlState(leg));
    await dialer.retrieve(leg, remaining, route);
    return remaining.callId;
  }

  /** The leg, answered and not ended; anything else does not apply. */
  private answered(legId: string): Leg {
    const leg = this.call.leg(legId);
    if (leg === undefined || leg.ended) throw invalid(`call ${legId} has ended`, 'ended');
    if (leg.ringing) throw invalid(`call ${legId} has not been answered yet`, leg.state);
    return leg;
  }
}
