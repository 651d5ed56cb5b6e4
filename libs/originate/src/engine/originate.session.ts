import { newId } from '@legwork/common';
import type { InviteOptions, SipResponse } from '@legwork/sip';
import type { OriginateRequest } from '@legwork/contracts';
import type { Account } from '@legwork/directory';
import { type AnsweredA, type CallApplication, type SessionView, applicationFor } from '../applications';
import type { CallerEndpoint } from '../applications/application.types';
import { SessionTransferDialer } from '../applications/blind-transfer';
import type { Call } from '../call/call';
import { Leg } from '../legs/leg';
import type { LegContext, Scalar } from '../legs/leg.types';
import { mediaModeOf, newMediaSession } from '../media/media-plan';
import type { MediaMode, MediaSession } from '../media/media.types';
import type { OutboundPolicy } from '../policy/outbound-policy';
import { pushableHere, ringableHere } from './endpoint-locality';
import { type ExecuteHandshake, awaitExecute } from './execute-handshake';
import { aLegInvite, deviceCallerId, uriAddress } from './invite-builder';
import type { OriginateOutcome, SessionHost } from './originate.outcome';
import { OriginateReplies } from './originate.replies';
import type { EndpointResolution, ResolvedEndpoint } from './originate.types';
import { outboundRefusal, policyFor } from './outbound-check';
import { Refusal } from './refusal';
import { ringBudgetMs } from './ring-budget';
import { type InviteSent, type RingCandidate, type RingResult, type SingleEntry, ringSimultaneous, ringSingle } from './ring.strategy';
import { SessionChannels } from './session-channels';

export type { AnsweredA } from '../applications';

/** A request run with no options (every originate_req): one object for all, the session keeps it for its call's life. */
const NO_OPTIONS: Omit<SessionOptions, 'resolved'> = Object.freeze({});

/** An endpoint without a caller id of its own: one object for every such call. */
const NO_CALLER_ID: CallerEndpoint = Object.freeze({});

/** How a request runs besides its account: a resolution intake already made, the park handshake intake asks for. */
export interface SessionOptions {
  resolved?: EndpointResolution;
  handshake?: ExecuteHandshake;
  /** Runs instead of the request's Application-Name (an inbound call bridging its caller). */
  application?: CallApplication;
  /**
   * An inbound call: each A-leg is INVITEd with the caller's offer as `sdp()` gives it once the application prepared
   * (its 200 answers it), or offerless when that is undefined (its 200 offers), under its own media plan.
   */
  offer?: { sdp: () => string | undefined; media: (callId: string) => MediaSession };
  /** The call the A-legs' events are numbered under (an inbound call: its caller's leg); default each leg its own. */
  sequenceId?: string;
}

/**
 * The ringing phase of one originate request: resolve, check, ring the A-legs, and once one answers hand it to
 * the application, which runs on the request's Call (the long-lived object that owns the legs from then on).
 */
export class OriginateSession implements SessionView {
  readonly replies: OriginateReplies;
  readonly call: Call;
  readonly channels: SessionChannels;
  /** The outbound rules this request is held to, set before anything rings. */
  policy: OutboundPolicy | undefined;
  private accountDoc: Promise<Account | null> | undefined;
  private resolved: EndpointResolution | undefined;
  private readonly options: Omit<SessionOptions, 'resolved'>;
  /** The call id the requester was told of (originate_uuid): the Call-ID of an error reply. */
  private uuid: string | undefined;

  constructor(
    readonly host: SessionHost,
    private readonly ctx: LegContext,
    readonly req: OriginateRequest,
    readonly accountId: string,
    options: SessionOptions = {},
  ) {
    this.replies = new OriginateReplies(host.replyOptions, req);
    this.call = host.openCall(req['Outbound-Call-ID'] ?? req['Msg-ID']);
    this.channels = new SessionChannels(host.opts.directory, ctx.limits, accountId, host.opts.nodeId);
    this.resolved = options.resolved;
    // the resolution is let go once used: the session lives as long as its call (a blind transfer dials through it)
    const { resolved: _resolved, ...rest } = options;
    this.options = Object.keys(rest).length === 0 ? NO_OPTIONS : rest;
  }

  get legContext(): LegContext {
    return this.ctx;
  }

  /** The request's Max-Call-Duration capped by the node's maximum (a request cannot outlast it). */
  get maxDurationSeconds(): number | undefined {
    const node = this.host.opts.maxCallDurationSeconds;
    const limits = [this.req['Max-Call-Duration'], node !== undefined && node > 0 ? node : undefined].filter((s): s is number => s !== undefined);
    return limits.length > 0 ? Math.min(...limits) : undefined;
  }

  /** Publishes replies and events itself; the call keeps this work, so it is not over before the request is decided. */
  run(): Promise<OriginateOutcome> {
    const outcome = this.decide();
    this.call.keep(outcome);
    return outcome;
  }

  private async decide(): Promise<OriginateOutcome> {
    try {
      return await this.originate();
    } catch (err) {
      if (!(err instanceof Refusal)) return this.fail(err);
      const callId = this.uuid ?? this.req['Outbound-Call-ID'];
      await Promise.all([this.replies.error(err.cause, err.reason, callId), this.host.notifier.originateFailed(this.req, err.cause, err.reason)]);
      return { ok: false, cause: err.cause, reason: err.reason };
    }
  }

  /**
   * Fault barrier for one call: whatever escaped ends this call only. Every leg ends (CHANNEL_DESTROY, channel
   * given back, also legs that never sent their INVITE), and a waiting requester gets its error reply.
   */
  async fail(err: unknown): Promise<OriginateOutcome> {
    const cause = 'NORMAL_TEMPORARY_FAILURE';
    const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    const callIds = this.call.allLegs.map((l) => l.callId);
    this.ctx.logger.error({ err, callId: callIds[0] ?? this.req['Outbound-Call-ID'], callIds, msgId: this.req['Msg-ID'], accountId: this.accountId }, 'originate failed unexpectedly: call ended');
    await this.call.hangup(cause);
    this.call.endUnsent(cause);
    try {
      if (!this.replies.finished) await this.replies.error(cause, reason, this.req['Outbound-Call-ID'] ?? this.uuid ?? callIds[0]);
      if (callIds.length === 0) await this.host.notifier.originateFailed(this.req, cause, reason);
    } catch (publishErr) {
      this.ctx.logger.warn({ err: publishErr, msgId: this.req['Msg-ID'] }, 'originate failure not reported');
    }
    return { ok: false, cause, reason };
  }

  private async originate(): Promise<OriginateOutcome> {
    const req = this.req;
    const mode = mediaModeOf(req, this.host.opts.media?.rtpengine);
    const app = this.options.application ?? applicationFor(req);
    const resolution = this.resolved ?? (await this.host.opts.resolver.resolve(req, this.accountId, this.host.opts.nodeId));
    if (resolution.account !== undefined) this.accountDoc ??= Promise.resolve(resolution.account);
    const { endpoints, failures } = pushableHere(ringableHere(resolution, this.host.opts.nodeId), this.host.opts.pushWake);
    this.resolved = undefined;
    if (endpoints.length === 0) {
      const first = failures[0];
      throw new Refusal(first?.cause ?? 'DESTINATION_OUT_OF_ORDER', first?.reason ?? 'no endpoint could be resolved');
    }
    // from here every reply names the call id, as ecallmgr's do once its uuid exists
    this.uuid = req['Outbound-Call-ID'] ?? endpoints[0].callId;
    // the channel limits along the account tree are read while the application prepares and the rules are checked
    this.channels.prefetch(this.account());
    await app.prepare(this, endpoints);
    await this.checkOutbound(endpoints, app.dialled());
    if (this.options.handshake !== undefined) await awaitExecute(this.options.handshake, this.replies, this.uuid);
    const medias = new Map<string, MediaSession>();
    const timeoutMs = ringBudgetMs(req, endpoints);
    let result: RingResult;
    const sent: InviteSent = (c) => void this.replies.started(c.leg.callId);
    if (req['Dial-Endpoint-Method'] === 'single') {
      const entries: SingleEntry[] = endpoints.map((e) => ({ endpoint: e, start: () => this.startSingle(e, mode, medias) }));
      result = await ringSingle(this.host.opts.sip, entries, timeoutMs, () => this.call.stopped, sent);
    } else {
      await this.channels.acquire(endpoints.map((e) => e.callId));
      const legs = endpoints.map((e) => this.createLeg(e));
      await this.replies.uuid(this.uuid);
      await Promise.all(legs.map((leg) => leg.create()));
      const candidates = endpoints.map((e, i) => this.candidate(legs[i], e, mode, medias));
      result = await ringSimultaneous(this.host.opts.sip, candidates, timeoutMs, sent);
    }
    if (!result.answered) {
      await this.replies.error(result.cause, result.reason, endpoints[0].callId);
      return { ok: false, cause: result.cause, reason: result.reason };
    }
    const winner = result.winner.leg;
    const media = medias.get(winner.callId) ?? this.call.useMedia(newMediaSession(mode, this.host.opts.media?.rtpengine, winner.callId, this.host.fromDomain, this.req['Media-Video'] !== false));
    const a: AnsweredA = { leg: winner, dialog: result.dialog, endpoint: result.winner.endpoint, media };
    if (result.response.body.length === 0) {
      await a.leg.end({ cause: 'INCOMPATIBLE_DESTINATION' });
      await this.replies.error('INCOMPATIBLE_DESTINATION', 'the answer carried no SDP offer', a.leg.callId);
      return { ok: false, cause: 'INCOMPATIBLE_DESTINATION', reason: 'the answer carried no SDP offer' };
    }
    return this.handOver(app, a);
  }

  /** The A-leg answered: the Call owns it from here, and the application runs on the Call. */
  private async handOver(app: CallApplication, a: AnsweredA): Promise<OriginateOutcome> {
    a.leg.media = a.media.legMedia('a');
    // a blind transfer later dials through this session: its channels, outbound rules and caller ids
    // of the endpoint a transfer's B-leg needs only the caller id, not its resolution (request URI, target, headers)
    const callerId = a.endpoint.callerId;
    this.call.control.dialer = new SessionTransferDialer(this, callerId !== undefined ? { callerId } : NO_CALLER_ID);
    const max = this.maxDurationSeconds;
    if (max !== undefined) this.call.limitDuration(max);
    const other = app.otherLegCallId();
    await this.replies.success(a.leg.callId, other);
    this.call.keep(app.start(this, a).catch((err: unknown) => this.fail(err)));
    return { ok: true, callId: a.leg.callId, ...(other !== undefined ? { otherLegCallId: other } : {}) };
  }

  /** The INVITE for one A-leg candidate; its 200's offer is answered by the candidate's own media plan. */
  private candidate(leg: Leg, e: ResolvedEndpoint, mode: MediaMode, medias: Map<string, MediaSession>): RingCandidate {
    const offer = this.options.offer;
    const media = this.call.useMedia(offer?.media(e.callId) ?? newMediaSession(mode, this.host.opts.media?.rtpengine, e.callId, this.host.fromDomain, this.req['Media-Video'] !== false));
    medias.set(e.callId, media);
    const sdp = offer?.sdp();
    if (sdp !== undefined) {
      const offered = { ...aLegInvite(this.req, e, this.host.fromDomain, this.host.contactUser, undefined), body: sdp };
      return e.push !== undefined ? this.pushCandidate(leg, e, offered) : { leg, endpoint: e, invite: offered };
    }
    const answer = (response: SipResponse): Promise<string> | undefined => (response.body.length > 0 ? media.answerA(response.bodyText) : undefined);
    const invite = aLegInvite(this.req, e, this.host.fromDomain, this.host.contactUser, answer);
    return e.push !== undefined ? this.pushCandidate(leg, e, invite) : { leg, endpoint: e, invite };
  }

  /**
   * RFC 8599: push, park until the device registers, then INVITE the binding it registered. A method of its own so
   * the INVITE's answer callback (kept by lingering SIP transactions) never shares a closure scope holding the leg.
   */
  private pushCandidate(leg: Leg, e: ResolvedEndpoint, parked: InviteOptions): RingCandidate {
    const { push } = e;
    const wake = this.host.opts.pushWake;
    if (push === undefined || wake === undefined) return { leg, endpoint: e, invite: parked };
    const prepare = async (deadline: number): Promise<InviteOptions | { kind: 'failed'; cause: string; status?: number; reason: string }> => {
      const woken = await wake.wake(leg, e, push, deadline, deviceCallerId(this.req, e).name);
      if (!woken.ok) return { kind: 'failed', cause: woken.cause, reason: woken.reason, ...(woken.status !== undefined ? { status: woken.status } : {}) };
      leg.pushDevice = { provider: push.provider, prid: push.prid, ...(push.param !== undefined ? { param: push.param } : {}) };
      // through the node holding the device's connection: its relay route goes first
      const headers = woken.route !== undefined ? { headers: [['Route', woken.route] as [string, string], ...(parked.headers ?? [])] } : {};
      return { ...parked, ...headers, uri: woken.endpoint.requestUri, target: woken.endpoint.target, to: `<${woken.endpoint.requestUri}>` };
    };
    return { leg, endpoint: e, invite: parked, prepare };
  }

  /** `single`: takes the channel and announces the leg only now that it rings; a refusal after earlier legs rang is a plain failure. */
  private async startSingle(e: ResolvedEndpoint, mode: MediaMode, medias: Map<string, MediaSession>): Promise<RingCandidate | Extract<RingResult, { answered: false }>> {
    const first = this.call.allLegs.length === 0;
    try {
      await this.channels.acquire([e.callId]);
    } catch (err) {
      if (!(err instanceof Refusal) || first) throw err;
      return { answered: false, cause: err.cause, reason: err.reason };
    }
    if (first) await this.replies.uuid(this.uuid ?? e.callId);
    const leg = this.createLeg(e);
    await leg.create();
    return this.candidate(leg, e, mode, medias);
  }

  /** The account, read once per request (outbound rules); null when it cannot be read. */
  private account(): Promise<Account | null> {
    this.accountDoc ??= this.host.opts.directory.accounts.find(this.accountId).catch(() => null);
    return this.accountDoc;
  }

  /** Outbound rules (destination classes and patterns, caller ids the account owns), enforced before anything rings. */
  private async checkOutbound(endpoints: ResolvedEndpoint[], dialled: ResolvedEndpoint[]): Promise<void> {
    const plan = this.host.opts.numberPlan ?? { defaultCountryCode: '1' };
    this.policy = policyFor(this.host.opts.directory, plan, (await this.account()) ?? { id: this.accountId }, endpoints);
    // the policy took what it needs: the session (kept by the call for blind transfers) lets the document go
    this.accountDoc = undefined;
    const verdict = await outboundRefusal(this.policy, this.req, endpoints, plan, dialled);
    if (!verdict.ok) throw new Refusal(verdict.cause, verdict.reason);
  }

  /** Channel vars on the A-leg: the request's, the endpoint's, and always the account. */
  ccvFor(e?: ResolvedEndpoint): Record<string, Scalar> {
    return { ...(this.req['Custom-Channel-Vars'] ?? {}), ...(e?.endpoint['Custom-Channel-Vars'] ?? {}), 'Account-ID': this.accountId };
  }

  /** Channel vars on the B-leg: only the exported ones. */
  exportedCcv(): Record<string, Scalar> {
    const all = this.ccvFor();
    const out: Record<string, Scalar> = { 'Account-ID': this.accountId };
    for (const key of this.req['Export-Custom-Channel-Vars'] ?? []) if (all[key] !== undefined) out[key] = all[key];
    return out;
  }

  private createLeg(e: ResolvedEndpoint): Leg {
    const cid = deviceCallerId(this.req, e);
    const owner = e.endpoint['Custom-Channel-Vars']?.['Owner-ID'];
    const leg = new Leg(this.ctx, {
      callId: e.callId, role: 'a', accountId: this.accountId, holdsChannel: true, channelAncestors: this.channels.ancestorIds,
      ...(this.options.sequenceId !== undefined ? { sequenceId: this.options.sequenceId } : {}),
      ...(e.endpointId !== undefined ? { endpointId: e.endpointId } : {}),
      ...(typeof owner === 'string' && owner !== '' ? { ownerId: owner } : {}),
      from: `${cid.number}@${this.host.fromDomain}`, to: uriAddress(e.requestUri),
      callerIdNumber: cid.number, ...(cid.name !== undefined ? { callerIdName: cid.name } : {}),
      ...(this.req['Custom-Application-Vars'] !== undefined ? { cav: this.req['Custom-Application-Vars'] } : {}),
      ccv: this.ccvFor(e),
    });
    return this.call.adopt(leg);
  }

  static newCallId(): string {
    return newId();
  }
}
