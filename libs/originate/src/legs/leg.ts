import { type CallRecord, type HoldState, type LegEvent, type LegState, type RecordingState, canTransition, transition } from '@legwork/call-state';
import type { Dialog, InviteOptions, OutgoingInvite, SipResponse, SipStack } from '@legwork/sip';
import type { ChannelEventName } from '../events/call-event.notifier';
import type { LegMedia } from '../media/media.types';
import type { DevicePush } from '../push/push.types';
import { sipHangupCode, sipStatusToQ850 } from '../q850/sip-to-q850.table';
import { type Offerer, holdAfterOffer, isHeld } from './leg-hold';
import { sharingStrings } from './record-sharing';
import type { DialResult, HangupInfo, LegContext, LegInit, LegSignal, LegSink } from './leg.types';

const EVENT_FOR: Partial<Record<LegEvent, ChannelEventName>> = { answer: 'CHANNEL_ANSWER', bridge: 'CHANNEL_BRIDGE', unbridge: 'CHANNEL_UNBRIDGE' };
/** Where every leg's serialized steps start: one settled promise rather than one per leg. */
const SETTLED: Promise<void> = Promise.resolve();

/** Adds to a list made on first use: a literal, as a push onto an empty array reserves room for 16. */
function added<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}

/** Empties a list once, for its callbacks to run. */
function taken<T>(list: T[] | undefined): T[] {
  return list === undefined ? [] : list.splice(0);
}

/** One call leg: its SIP INVITE/dialog, its state mirrored to the call store, its events in order. */
export class Leg {
  readonly callId: string;
  state: LegState = 'new';
  dialog: Dialog | undefined;
  /** The INVITE went out (it may have been answered or ended since). */
  inviteSent = false;
  /** The INVITE until it settles, for CANCEL; dropped then, as it holds the request, its responses and its dialogs for the call's lifetime. */
  private invite: OutgoingInvite | undefined;
  private record: CallRecord | undefined;
  private chain: Promise<void> = SETTLED;
  private progressed = false;
  private cancelCause: string | undefined;
  private ending: Promise<void> | undefined;
  // the lists below are made on first use: a held call keeps its legs for its whole life, most lists stay empty
  private remoteEndCbs: Array<(info: HangupInfo) => void> | undefined;
  private doneWaiters: Array<() => void> | undefined;
  private earlyMediaCbs: Array<(sdp: string) => void> | undefined;
  private cancelCbs: Array<(cause: string) => void> | undefined;
  /** Work the leg's CHANNEL_DESTROY waits for (a cancel push whose PUSH_SENT must come first), bounded. */
  private beforeEnd: Array<Promise<unknown>> | undefined;
  private endingWork: Array<() => Promise<unknown>> | undefined;
  /** Fields added to this leg's CHANNEL_DESTROY (the CDR): a push wake-up's provider and time. */
  private destroyFields: Record<string, unknown> | undefined;
  private cancelReason: string | undefined;
  /** The Reason (RFC 3326) of a CANCEL sent without one; push legs tell the device why ringing stopped. */
  cancelReasonFor: ((cause: string) => string | undefined) | undefined;
  /** The SDP of the last provisional that carried one: the answer, when a reliable 183 gave it and the 2xx repeats none (RFC 3262). */
  earlySdp: string | undefined;
  /** Attributes, whatever the state: who holds this leg's session, and its recording (not driven yet). */
  hold: HoldState = 'none';
  recording: RecordingState = 'off';
  /** How SDP is spoken to this leg once it answered (our origin in bypass, its rtpengine tag in process). */
  media: LegMedia | undefined;
  /** The RFC 8599 device this leg reached by a push: a request we send it mid-dialog first checks its binding. */
  pushDevice: DevicePush | undefined;
  /** The call that owns the leg: every signal goes there. */
  private sink: LegSink | undefined;

  constructor(
    private readonly ctx: LegContext,
    readonly init: LegInit,
  ) {
    this.callId = init.callId;
  }

  /** True once cancel() was called. */
  get cancelled(): boolean {
    return this.cancelCause !== undefined;
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** The call this leg's events are numbered under: every leg of a call shares its first leg's. */
  get sequenceId(): string {
    return this.init.sequenceId ?? this.callId;
  }

  get peerCallId(): string | undefined {
    return this.record?.peerCallId ?? this.init.peerCallId;
  }

  /** Not answered yet: ending it means a CANCEL, not a BYE. */
  get ringing(): boolean {
    return this.state === 'new' || this.state === 'ringing' || this.state === 'early';
  }

  /** The session descriptions in force with this leg's party: ours and theirs. */
  get localSdp(): string | undefined {
    return this.dialog?.localSdp;
  }

  get remoteSdp(): string | undefined {
    return this.dialog?.remoteSdp;
  }

  /** Hands the leg to the call that owns it (a leg moves calls when it is bridged into another). */
  attach(sink: LegSink | undefined): void {
    this.sink = sink;
  }

  /** Stores the leg and announces it (CHANNEL_CREATE); resolves once stored, the event following on the leg's chain. */
  create(): Promise<void> {
    const { init } = this;
    const stored = this.step(async () => {
      this.keep(await this.ctx.calls.create({
        callId: init.callId, accountId: init.accountId, nodeId: this.ctx.nodeId, leg: init.role,
        ...(init.peerCallId !== undefined ? { peerCallId: init.peerCallId } : {}),
        ...(init.from !== undefined ? { from: init.from } : {}),
        ...(init.to !== undefined ? { to: init.to } : {}),
        ...(init.callerIdName !== undefined ? { callerIdName: init.callerIdName } : {}),
        ...(init.callerIdNumber !== undefined ? { callerIdNumber: init.callerIdNumber } : {}),
        ...(init.calleeIdName !== undefined ? { calleeIdName: init.calleeIdName } : {}),
        ...(init.calleeIdNumber !== undefined ? { calleeIdNumber: init.calleeIdNumber } : {}),
        ...(init.cav !== undefined ? { cav: init.cav } : {}),
        ...(init.endpointId !== undefined ? { endpointId: init.endpointId } : {}),
        ...(init.ownerId !== undefined ? { ownerId: init.ownerId } : {}),
        ...(init.sequenceId !== undefined ? { sequenceId: init.sequenceId } : {}),
      }));
    });
    // the INVITE waits for the record only, not the event's log write and broker confirm; later events queue behind it
    void this.step(() => this.emit('CHANNEL_CREATE'));
    return stored;
  }

  /** Sends the INVITE; resolves once it is answered, rejected, cancelled or failed. */
  async dial(sip: SipStack, opts: InviteOptions): Promise<DialResult> {
    if (this.ending !== undefined) return { kind: 'failed', cause: this.cancelCause ?? 'ORIGINATOR_CANCEL', reason: 'the leg ended before it rang' };
    let invite: OutgoingInvite;
    try {
      invite = sip.invite({ ...opts, callId: this.callId });
    } catch (err) {
      // a value the SIP layer refuses ends this leg only, never the process
      this.ctx.logger.error({ err, callId: this.callId }, 'INVITE could not be built');
      return { kind: 'failed', cause: 'NORMAL_TEMPORARY_FAILURE', reason: `INVITE could not be built: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.invite = invite;
    this.inviteSent = true;
    if (this.cancelCause !== undefined) invite.cancel(this.cancelReason);
    invite.onProvisional((response) => this.guard('provisional response', () => this.onProvisional(response)));
    const outcome = await invite.final;
    this.invite = undefined;
    if (outcome.kind === 'accepted') {
      await this.established(outcome.dialog);
      return { kind: 'answered', dialog: outcome.dialog, response: outcome.response };
    }
    if (outcome.kind === 'rejected') {
      const status = outcome.response.status;
      return { kind: 'failed', cause: sipStatusToQ850(status), status, reason: `${status} ${outcome.response.reason}` };
    }
    if (outcome.kind === 'cancelled') return { kind: 'failed', cause: this.cancelCause ?? 'ORIGINATOR_CANCEL', reason: 'cancelled' };
    const cause = outcome.error.code === 'sip_timeout' ? 'RECOVERY_ON_TIMER_EXPIRE' : 'DESTINATION_OUT_OF_ORDER';
    return { kind: 'failed', cause, reason: outcome.error.message };
  }

  /** The leg's dialog exists (our INVITE answered, or the caller's accepted): answered, its hangups watched, the call told. */
  protected async established(dialog: Dialog): Promise<void> {
    this.dialog = dialog;
    dialog.onTerminated((reason) => {
      if (reason === 'bye_received' || reason === 'no_ack') this.guard('remote hangup', () => this.remoteEnded({ cause: 'NORMAL_CLEARING' }, 'remote_hangup'));
      // RFC 4028: no session refresh in time; the stack already sent BYE, the rest of the call ends with it
      else if (reason === 'session_expired') this.guard('session expiry', () => this.remoteEnded({ cause: 'RECOVERY_ON_TIMER_EXPIRE' }, 'session_expired'));
    });
    await this.move('answer');
    this.tell('answered');
  }

  /** Stops a ringing INVITE; `cause` is what its CHANNEL_DESTROY will say. */
  cancel(cause: string, reason?: string): void {
    if (this.cancelCause !== undefined) return;
    this.cancelCause = cause;
    this.cancelReason = reason ?? this.cancelReasonFor?.(cause);
    for (const cb of taken(this.cancelCbs)) this.guard('cancel callback', () => cb(cause));
    this.guard('CANCEL', () => this.invite?.cancel(this.cancelReason));
  }

  /** Called once when the leg is cancelled (at once when it already was), with the cause. */
  onCancel(cb: (cause: string) => void): void {
    if (this.cancelCause !== undefined) this.guard('cancel callback', () => cb(this.cancelCause ?? ''));
    else this.cancelCbs = added(this.cancelCbs, cb);
  }

  /** Publishes an event of this leg in order with its others (push wake-up: PUSH_SENT, DEVICE_REGISTERED); none once it ended. */
  announce(name: ChannelEventName, extra: Record<string, unknown>): Promise<void> {
    return this.step(() => (this.state === 'ended' ? Promise.resolve() : this.emit(name, extra)));
  }

  /** Adds fields to the CHANNEL_DESTROY this leg will publish. */
  noteForDestroy(fields: Record<string, unknown>): void {
    this.destroyFields = { ...this.destroyFields, ...fields };
  }

  /** The CHANNEL_DESTROY waits (at most 3 s) for this work, so what it publishes comes before it. */
  holdEndFor(work: Promise<unknown>): void {
    this.beforeEnd = added(this.beforeEnd, work.catch(() => undefined));
  }

  /** Stores where the call's recording stands on this leg's record (what call views read); nothing once it ended. */
  storeRecording(recording: RecordingState): Promise<void> {
    return this.step(async () => {
      if (this.state === 'ended') return;
      const record = await this.safe(() => this.ctx.calls.update(this.callId, { recording }));
      if (record !== undefined) this.keep(record);
    });
  }

  /** Work started when the leg begins to end (a recording saved); its CHANNEL_DESTROY waits for it as for holdEndFor. */
  onEnding(work: () => Promise<unknown>): void {
    this.endingWork = added(this.endingWork, work);
  }

  bridge(other: Pick<Leg, 'callId' | 'init'>): Promise<void> {
    const otherCallId = other.callId;
    // the number the other leg was dialled at (user part of its To), as Kazoo's bridge events carry it
    const dialled = other.init.to?.split('@')[0];
    return this.step(async () => {
      if (!canTransition(this.state, 'bridge')) return;
      // a B-leg is stored with its peer already: no store round trip to write it again
      if (this.peerCallId !== otherCallId) {
        const record = await this.safe(() => this.ctx.calls.update(this.callId, { peerCallId: otherCallId }));
        if (record !== undefined) this.keep(record, otherCallId);
      }
      await this.apply('bridge', { 'Other-Leg-Call-ID': otherCallId, ...(dialled ? { 'Other-Leg-Destination-Number': dialled } : {}) });
    });
  }

  /**
   * An offer/answer with this leg's party completed (`local`: we offered, `remote`: it did): its hold follows
   * the offer, and a change to or from hold is published (CHANNEL_HOLD / CHANNEL_UNHOLD) and stored.
   */
  negotiated(offerer: Offerer, offer: string): Promise<void> {
    return this.step(async () => {
      if (this.ending !== undefined) return;
      const before = this.hold;
      const after = holdAfterOffer(before, offerer, offer);
      if (after === before) return;
      this.hold = after;
      const record = await this.safe(() => this.ctx.calls.update(this.callId, { hold: after }));
      if (record !== undefined) this.keep(record);
      if (isHeld(before) !== isHeld(after)) await this.emit(isHeld(after) ? 'CHANNEL_HOLD' : 'CHANNEL_UNHOLD', this.peerCallId !== undefined ? { 'Other-Leg-Call-ID': this.peerCallId } : {});
    });
  }

  /** Resolves once the leg's queued store writes and events are out (the CHANNEL_HOLD of an offer just answered). */
  idle(): Promise<void> {
    return this.chain;
  }

  unbridge(): Promise<void> {
    return this.step(() => (canTransition(this.state, 'unbridge') ? this.apply('unbridge', this.peerCallId !== undefined ? { 'Other-Leg-Call-ID': this.peerCallId } : {}) : Promise.resolve()));
  }

  /** Called with the SDP of each provisional response that carries one (early media). */
  onEarlyMedia(cb: (sdp: string) => void): void {
    this.earlyMediaCbs = added(this.earlyMediaCbs, cb);
  }

  /** Called when the far end hung up. */
  onRemoteEnd(cb: (info: HangupInfo) => void): void {
    this.remoteEndCbs = added(this.remoteEndCbs, cb);
  }

  /** Resolves once the leg has ended (ended() was called and its events are out). */
  get done(): Promise<void> {
    return this.ending ?? new Promise((resolve) => (this.doneWaiters = added(this.doneWaiters, resolve)));
  }

  /** Ends the leg once: BYE when answered, record ended, channel released, CHANNEL_DESTROY. */
  end(info: HangupInfo, sendBye = true): Promise<void> {
    if (this.ending !== undefined) return this.ending;
    if (sendBye && this.dialog !== undefined && this.dialog.state !== 'terminated') this.dialog.bye().catch(() => undefined);
    const held = [...taken(this.beforeEnd), ...taken(this.endingWork).map((work) => work().catch(() => undefined))];
    const finish = (): Promise<void> => this.step(async () => {
      if (canTransition(this.state, 'unbridge')) await this.apply('unbridge', this.peerCallId !== undefined ? { 'Other-Leg-Call-ID': this.peerCallId } : {});
      this.state = 'ended';
      const ended = await this.lasting('end', () => this.ctx.calls.end(this.callId, info.cause));
      if (this.init.holdsChannel) await this.lasting('release', () => this.ctx.limits.releaseAlong([this.init.accountId, ...(this.init.channelAncestors ?? [])], this.callId));
      if (ended !== undefined) this.keep(ended.record);
      const code = sipHangupCode(info.status);
      await this.emit('CHANNEL_DESTROY', { ...this.destroyFields, 'Hangup-Cause': info.cause, ...(code !== undefined ? { 'Hangup-Code': code } : {}) });
    });
    // held work publishes on this leg's chain: it must get there before the end step is queued
    this.ending = held.length > 0 ? settleWithin(held, 3000).then(finish) : finish();
    void this.ending.then(() => {
      taken(this.doneWaiters).forEach((resolve) => resolve());
      this.tell('ended', info);
    });
    return this.ending;
  }

  private remoteEnded(info: HangupInfo, signal: LegSignal): void {
    if (this.ending !== undefined) return;
    void this.end(info, false);
    this.tell(signal, info);
    for (const cb of taken(this.remoteEndCbs)) this.guard('remote end callback', () => cb(info));
  }

  /** Tells the owning call; what its reaction throws stays with this call. */
  private tell(signal: LegSignal, info?: HangupInfo): void {
    const sink = this.sink;
    if (sink !== undefined) this.guard(`call reaction to ${signal}`, () => sink.signal(this, signal, info));
  }

  /** Runs a callback the SIP layer or a peer leg triggers; what it throws is logged with the call id, never rethrown. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.ctx.logger.error({ err, callId: this.callId }, `${what} failed`);
    }
  }

  private onProvisional(response: SipResponse): void {
    if (response.status <= 100) return;
    if (response.body.length > 0) {
      const sdp = response.bodyText;
      this.earlySdp = sdp;
      for (const cb of this.earlyMediaCbs ?? []) this.guard('early media callback', () => cb(sdp));
    }
    void this.markProgress(response.status === 183 || response.body.length > 0 ? 'progress' : 'ring');
  }

  /** Ringing (180) or early media (183) on this leg: stored, and the first one announced (CHANNEL_PROGRESS). */
  protected markProgress(event: Extract<LegEvent, 'ring' | 'progress'>): Promise<void> {
    return this.step(async () => {
      if (!canTransition(this.state, event)) return;
      this.state = transition(this.state, event);
      const record = await this.safe(() => this.ctx.calls.transition(this.callId, event));
      if (record !== undefined) this.keep(record);
      if (!this.progressed) {
        this.progressed = true;
        await this.emit('CHANNEL_PROGRESS');
      }
    });
  }

  private move(event: LegEvent): Promise<void> {
    return this.step(() => (canTransition(this.state, event) ? this.apply(event) : Promise.resolve()));
  }

  private async apply(event: LegEvent, extra: Record<string, unknown> = {}): Promise<void> {
    this.state = transition(this.state, event);
    const record = await this.safe(() => this.ctx.calls.transition(this.callId, event));
    if (record !== undefined) this.keep(record);
    const name = EVENT_FOR[event];
    if (name !== undefined) await this.emit(name, extra);
  }

  /** The record this leg's events are built from, with the strings the leg holds already in place of the store's copies. */
  private keep(record: CallRecord, peer?: string): void {
    const { init } = this;
    this.record = sharingStrings(record, [
      this.callId, init.accountId, this.ctx.nodeId, init.role, this.state, this.recording, this.hold, peer, this.record?.peerCallId, init.peerCallId,
      init.from, init.to, init.callerIdName, init.callerIdNumber, init.calleeIdName, init.calleeIdNumber, init.endpointId, init.ownerId, init.sequenceId,
    ]);
  }

  private async emit(name: ChannelEventName, extra: Record<string, unknown> = {}): Promise<void> {
    if (this.record === undefined) return;
    const direction = this.init.direction !== undefined ? { 'Call-Direction': this.init.direction } : {};
    await this.ctx.notifier.publish(name, this.record, { 'Custom-Channel-Vars': this.init.ccv ?? {}, ...direction, ...extra });
  }

  /** Serializes store writes and events of this leg so they come out in order. */
  private step(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    const done = next.catch((err: unknown) => this.ctx.logger.error({ err, callId: this.callId }, 'leg step failed'));
    this.chain = done;
    // an idle leg goes back to the one settled promise: a held call's legs would each keep their last step's
    void done.then(() => {
      if (this.chain === done) this.chain = SETTLED;
    });
    return done;
  }

  /** A write that must land even if the store is away now: retried by the node's StoreRetry when there is one. */
  private async lasting<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    const retry = this.ctx.storeRetry;
    return retry === undefined ? this.safe(fn) : retry.attempt(`${this.callId} ${what}`, fn);
  }

  private async safe<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.ctx.logger.warn({ err, callId: this.callId }, 'call store update failed');
      return undefined;
    }
  }
}

/** Waits for the work, or `ms` at most. */
async function settleWithin(work: Array<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(work), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
