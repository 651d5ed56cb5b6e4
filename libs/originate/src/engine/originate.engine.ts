import { buildMessage, callCommand, controlQueueOf, envelope, routeFor, type OriginateRequest } from '@legwork/contracts';
import { Call } from '../call/call';
import { CallDeadlines } from '../call/call-deadlines';
import { controlState, type TransferOptions } from '../call/call-control';
import { CallControlError } from '../call/call-control.errors';
import { ConsultativeTransfers, type JoinedParties, type TransferHalf } from '../call/consultative-transfer';
import { namesDialog, type Replaces, sameOwner } from '../call/replaces';
import { CallEventNotifier } from '../events/call-event.notifier';
import type { Leg } from '../legs/leg';
import type { LegContext } from '../legs/leg.types';
import { type HoldMedia, holdMediaOf } from '../media/hold-music';
import type { RtpengineClient } from '../media/media.types';
import type { RecorderOptions } from '../recording/call-recorder';
import type { OriginateEngineOptions, OriginateOutcome, SessionHost } from './originate.outcome';
import { OriginateReplies, type RepliesOptions } from './originate.replies';
import type { OriginateMeta } from './originate.types';
import { OriginateSession, type SessionOptions } from './originate.session';
import { StoreRetry } from '../legs/store-retry';

// the control queue's name is shared with the gateway, which sends commands to it: one definition in the contracts
export { controlQueueOf } from '@legwork/contracts';

/** Runs originate requests on this node: rings, joins, tracks and ends the calls it owns (`callId → Call`, every leg id of a call). */
export class OriginateEngine implements SessionHost {
  readonly notifier: CallEventNotifier;
  readonly controlQueue: string;
  readonly replyOptions: RepliesOptions;
  readonly fromDomain: string;
  readonly contactUser: string;
  readonly holdMedia: HoldMedia;
  readonly recorder: RecorderOptions | undefined;
  readonly rtpengine: RtpengineClient | undefined;
  readonly reinviteTimeoutMs: number;
  private readonly ctx: LegContext;
  readonly deadlines = new CallDeadlines();
  private readonly byLeg = new Map<string, Call>();
  private readonly calls = new Set<Call>();
  private readonly transfers: ConsultativeTransfers;
  private draining = false;

  constructor(readonly opts: OriginateEngineOptions) {
    this.notifier = new CallEventNotifier({ bus: opts.bus, appName: opts.appName, appVersion: opts.appVersion, nodeId: opts.nodeId, events: opts.calls.events, logger: opts.logger });
    this.controlQueue = opts.controlQueue ?? controlQueueOf(opts.nodeId);
    this.replyOptions = { bus: opts.bus, appName: opts.appName, appVersion: opts.appVersion, nodeId: opts.nodeId, controlQueue: this.controlQueue, logger: opts.logger };
    this.fromDomain = opts.fromDomain ?? (/@([^:;>]+)/.exec(opts.sipContact)?.[1] ?? /sips?:([^:;>]+)/.exec(opts.sipContact)?.[1] ?? 'localhost');
    this.contactUser = /sips?:([^@:;>]+)@/.exec(opts.sipContact)?.[1] ?? 'legwork';
    this.holdMedia = holdMediaOf(opts.media?.holdMusicFile);
    this.transfers = new ConsultativeTransfers(opts.logger);
    this.recorder = opts.media?.recording;
    this.rtpengine = opts.media?.rtpengine;
    // Timer B (64·T1): the longest a re-INVITE of ours may go without a final answer before it counts as refused
    this.reinviteTimeoutMs = 64 * opts.sip.timers.T1;
    this.ctx = { calls: opts.calls.calls, limits: opts.calls.limits, notifier: this.notifier, nodeId: opts.nodeId, logger: opts.logger, storeRetry: new StoreRetry({ logger: opts.logger }) };
  }

  /** Publishes replies and events itself; never throws for call failures. */
  async originate(req: OriginateRequest, meta: OriginateMeta): Promise<OriginateOutcome> {
    if (this.draining) {
      const reason = 'node is shutting down';
      const replies = new OriginateReplies(this.replyOptions, req);
      await Promise.all([replies.error('SYSTEM_SHUTDOWN', reason, req['Outbound-Call-ID']), this.notifier.originateFailed(req, 'SYSTEM_SHUTDOWN', reason)]);
      return { ok: false, cause: 'SYSTEM_SHUTDOWN', reason };
    }
    const session = new OriginateSession(this, this.ctx, req, meta.accountId, {
      ...(meta.resolved !== undefined ? { resolved: meta.resolved } : {}),
      ...(meta.handshake !== undefined ? { handshake: meta.handshake } : {}),
    });
    return session.run();
  }

  /** A session not yet run, for an inbound call (its caller's leg joins the session's Call first); undefined while draining. */
  inboundSession(req: OriginateRequest, accountId: string, options: SessionOptions): OriginateSession | undefined {
    return this.draining ? undefined : new OriginateSession(this, this.ctx, req, accountId, options);
  }

  openCall(label: string): Call {
    const call = new Call(label, this, this.opts.logger);
    this.calls.add(call);
    return call;
  }

  closed(call: Call): void {
    this.calls.delete(call);
  }

  /** Every leg id of a call resolves to it until the leg ends (a leg handed to another call is re-indexed there). */
  track(leg: Leg, call: Call): void {
    this.byLeg.set(leg.callId, call);
    // a leg is untracked when it tells its call it ended; one adopted after that is let go when it is done
    if (leg.ended) void leg.done.then(() => this.untrack(leg, call));
  }

  untrack(leg: Leg, call: Call): void {
    if (this.byLeg.get(leg.callId) === call) this.byLeg.delete(leg.callId);
  }

  findCall(callId: string): Call | undefined {
    return this.byLeg.get(callId);
  }

  findLeg(callId: string): Leg | undefined {
    return this.byLeg.get(callId)?.leg(callId);
  }

  /** Ends the call this leg belongs to; false when it is not live here. */
  async hangup(callId: string, cause = 'NORMAL_CLEARING'): Promise<boolean> {
    const call = this.byLeg.get(callId);
    const leg = call?.leg(callId);
    if (call === undefined || leg === undefined || leg.ended) return false;
    await call.hangup(cause);
    return true;
  }

  /** Before a request we send a leg mid-dialog: a device reached by push whose binding lapsed is woken (update push) first. */
  async ensureReachable(leg: Leg): Promise<void> {
    const push = leg.pushDevice;
    const wake = this.opts.pushWake;
    if (push === undefined || wake === undefined) return;
    const live = await this.opts.calls.registrations.findByPushPrid(push.prid).catch(() => []);
    if (live.length > 0) return;
    const woken = await wake.refresh(leg, push);
    if (!woken.ok) throw new CallControlError('hold_failed', woken.reason, leg.state);
  }

  /**
   * reconnect: every other live call of the leg's owner (a user) ends; one on this node at once, one on another
   * node by a hangup command to it. Resolves with the leg ids told to end; none when the leg has no owner.
   */
  async releaseOtherCalls(callId: string): Promise<string[]> {
    const call = this.byLeg.get(callId);
    const owner = call?.leg(callId)?.init;
    if (call === undefined || owner?.ownerId === undefined) return [];
    const own = new Set(call.allLegs.map((l) => l.callId));
    const records = await this.opts.calls.calls.listByAccount(owner.accountId);
    const others = records.filter((r) => r.ownerId === owner.ownerId && r.state !== 'ended' && !own.has(r.callId));
    const released: string[] = [];
    for (const record of others) {
      const here = this.byLeg.get(record.callId);
      if (here !== undefined) await here.hangup('NORMAL_CLEARING');
      else if (record.nodeId !== this.opts.nodeId) await this.sendHangup(record.callId, record.nodeId);
      else continue;
      released.push(record.callId);
    }
    return released;
  }

  /** consultative_transfer: joins the remote parties of the calls of these two legs (both live here) and releases the legs; undefined when `targetCallId` is not live here. */
  async consultativeTransfer(callId: string, targetCallId: string): Promise<JoinedParties | undefined> {
    const [first, second] = [callId, targetCallId].map((id) => ({ call: this.byLeg.get(id), leg: this.findLeg(id) }));
    if (first.call === undefined || first.leg === undefined) throw new CallControlError('invalid_state', `call ${callId} has ended`, 'ended');
    if (second.call === undefined || second.leg === undefined) return undefined;
    return this.transfers.join({ call: first.call, leg: first.leg }, { call: second.call, leg: second.leg });
  }

  /**
   * A phone's REFER with Replaces (RFC 5589 §7): the dialog it names must be a live leg here of the same user, device
   * and account as the referring leg; then the consultative transfer of the two calls. Any other is no_such_dialog,
   * told alike so that a phone cannot probe for the calls of others.
   */
  async attendedTransfer(leg: Leg, replaces: Replaces, opts: TransferOptions = {}): Promise<JoinedParties> {
    const first = this.byLeg.get(leg.callId);
    const second = this.dialogLeg(replaces);
    if (first === undefined || second === undefined || !sameOwner(leg.init, second.leg.init)) {
      throw new CallControlError('no_such_dialog', `no call of this user has dialog ${replaces.callId} on this node`, controlState(leg));
    }
    return this.transfers.join({ call: first, leg }, second, opts);
  }

  private dialogLeg(replaces: Replaces): TransferHalf | undefined {
    for (const call of this.calls) {
      const leg = call.allLegs.find((l) => !l.ended && l.dialog !== undefined && namesDialog(replaces, l.dialog));
      if (leg !== undefined) return { call, leg };
    }
    return undefined;
  }

  /** Fire and forget: the owning node ends its call; a failed publish is logged, the reconnect stands. */
  private async sendHangup(callId: string, nodeId: string): Promise<void> {
    try {
      const msg = buildMessage(callCommand, { 'Application-Name': 'hangup', 'Call-ID': callId, 'Hangup-Cause': 'NORMAL_CLEARING' }, envelope(this.opts.appName, this.opts.appVersion, this.opts.nodeId));
      const { exchange, routingKey } = routeFor(callCommand, msg, controlQueueOf(nodeId));
      await this.opts.bus.publish(exchange, routingKey, msg);
    } catch (err) {
      this.opts.logger.warn({ err, callId, nodeId }, 'reconnect: hangup of another call not sent');
    }
  }

  /** Bookkeeping sizes: both return to 0 once every call has ended. */
  stats(): { legs: number; sessions: number } {
    return { legs: this.byLeg.size, sessions: this.calls.size };
  }

  liveCallIds(): string[] {
    return [...this.byLeg.entries()].filter(([id, call]) => call.leg(id)?.ended === false).map(([id]) => id);
  }

  /** Refuses new originates, waits up to timeoutMs for live calls, then hangs up the rest (SYSTEM_SHUTDOWN). */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const all = (): Promise<void> => Promise.all([...this.calls].map((c) => c.done)).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const finished = await Promise.race([all().then(() => false), expired]);
    clearTimeout(timer);
    if (!finished) return;
    await Promise.all([...this.calls].map((c) => c.hangup('SYSTEM_SHUTDOWN')));
    await all();
  }
}
