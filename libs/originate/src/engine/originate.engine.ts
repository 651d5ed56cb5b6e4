import type { OriginateRequest } from '@legwork/contracts';
import { CallEventNotifier } from '../events/call-event.notifier';
import type { Leg } from '../legs/leg';
import type { LegContext } from '../legs/leg.types';
import type { CallOwner, OriginateEngineOptions, OriginateOutcome, SessionHost } from './originate.outcome';
import type { OriginateMeta } from './originate.types';
import { OriginateSession } from './originate.session';

/** Runs originate requests on this node: rings, joins, tracks and ends the calls it owns. */
export class OriginateEngine implements SessionHost {
  readonly notifier: CallEventNotifier;
  readonly controlQueue: string;
  readonly fromDomain: string;
  readonly contactUser: string;
  private readonly ctx: LegContext;
  private readonly legs = new Map<string, { leg: Leg; session: CallOwner }>();
  private readonly sessions = new Set<OriginateSession>();
  private draining = false;

  constructor(readonly opts: OriginateEngineOptions) {
    this.notifier = new CallEventNotifier({ bus: opts.bus, appName: opts.appName, appVersion: opts.appVersion, nodeId: opts.nodeId, logger: opts.logger });
    this.controlQueue = opts.controlQueue ?? `callctl.${opts.nodeId}`;
    this.fromDomain = opts.fromDomain ?? (/@([^:;>]+)/.exec(opts.sipContact)?.[1] ?? /sips?:([^:;>]+)/.exec(opts.sipContact)?.[1] ?? 'localhost');
    this.contactUser = /sips?:([^@:;>]+)@/.exec(opts.sipContact)?.[1] ?? 'legwork';
    this.ctx = { calls: opts.calls.calls, limits: opts.calls.limits, notifier: this.notifier, nodeId: opts.nodeId, logger: opts.logger };
  }

  /** Publishes replies and events itself; never throws for call failures. */
  async originate(req: OriginateRequest, meta: OriginateMeta): Promise<OriginateOutcome> {
    const session = new OriginateSession(this, this.ctx, req, meta.accountId, meta.resolved);
    if (this.draining) {
      const reason = 'node is shutting down';
      await Promise.all([session.replies.error('SYSTEM_SHUTDOWN', reason), this.notifier.originateFailed(req, 'SYSTEM_SHUTDOWN', reason)]);
      return { ok: false, cause: 'SYSTEM_SHUTDOWN', reason };
    }
    this.sessions.add(session);
    try {
      return await session.run();
    } catch (err) {
      return await session.fail(err);
    } finally {
      void session.done().then(() => this.sessions.delete(session));
    }
  }

  track(leg: Leg, session: CallOwner): void {
    this.legs.set(leg.callId, { leg, session });
    void leg.done.then(() => this.legs.delete(leg.callId));
  }

  findLeg(callId: string): Leg | undefined {
    return this.legs.get(callId)?.leg;
  }

  /** Ends the call this leg belongs to; false when it is not live here. */
  async hangup(callId: string, cause = 'NORMAL_CLEARING'): Promise<boolean> {
    const entry = this.legs.get(callId);
    if (entry === undefined || entry.leg.ended) return false;
    await entry.session.hangup(cause);
    return true;
  }

  /** Bookkeeping sizes: both return to 0 once every call has ended. */
  stats(): { legs: number; sessions: number } {
    return { legs: this.legs.size, sessions: this.sessions.size };
  }

  liveCallIds(): string[] {
    return [...this.legs.values()].filter((e) => !e.leg.ended).map((e) => e.leg.callId);
  }

  /** Refuses new originates, waits up to timeoutMs for live calls, then hangs up the rest (SYSTEM_SHUTDOWN). */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const all = (): Promise<void> => Promise.all([...this.sessions].map((s) => s.done())).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const finished = await Promise.race([all().then(() => false), expired]);
    clearTimeout(timer);
    if (!finished) return;
    await Promise.all([...this.sessions].map((s) => s.hangup('SYSTEM_SHUTDOWN')));
    await all();
  }
}
