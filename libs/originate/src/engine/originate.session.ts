import { newId } from '@legwork/common';
import type { ChannelCap } from '@legwork/call-state';
import type { OriginateRequest } from '@legwork/contracts';
import type { Account } from '@legwork/directory';
import type { Dialog } from '@legwork/sip';
import { Leg } from '../legs/leg';
import type { LegContext, Scalar } from '../legs/leg.types';
import { BypassMediaSession } from '../media/bypass.media';
import type { MediaMode, MediaSession } from '../media/media.types';
import { ProcessMediaSession } from '../media/process.media';
import { SdpOrigin } from '../media/sdp-rewrite';
import type { OutboundPolicy } from '../policy/outbound-policy';
import { ringableHere } from './endpoint-locality';
import { channelChainOf } from './channel-chain';
import { aLegInvite, deviceCallerId, uriAddress } from './invite-builder';
import type { OriginateOutcome, SessionHost } from './originate.outcome';
import { OriginateReplies } from './originate.replies';
import { outboundRefusal, policyFor } from './outbound-check';
import type { EndpointResolution, ResolvedEndpoint } from './originate.types';
import { type RingCandidate, type RingResult, type SingleEntry, ringSimultaneous, ringSingle } from './ring.strategy';
import { runTransfer } from './transfer.application';

const DEFAULT_TIMEOUT_S = 30;

/** A decided failure before anything answered. */
class Refusal {
  constructor(
    readonly cause: string,
    readonly reason: string,
  ) {}
}

/** The answered A-leg and what the application needs from it. */
export interface AnsweredA {
  leg: Leg;
  dialog: Dialog;
  endpoint: ResolvedEndpoint;
  media: MediaSession;
}

/** One originate request from intake to the end of its last leg. */
export class OriginateSession {
  readonly legs: Leg[] = [];
  readonly replies: OriginateReplies;
  private stopped = false;
  private maxTimer: NodeJS.Timeout | undefined;
  private readonly medias: MediaSession[] = [];
  private accountDoc: Promise<Account | null> | undefined;
  /** The outbound rules this request is held to, set before anything rings. */
  policy: OutboundPolicy | undefined;
  private chain: Promise<ChannelCap[]> | undefined;
  /** Ancestors whose limits also hold this session's channels, known once the first channel is taken. */
  ancestorIds: string[] = [];

  constructor(
    private readonly host: SessionHost,
    private readonly ctx: LegContext,
    readonly req: OriginateRequest,
    readonly accountId: string,
    private resolved?: EndpointResolution,
  ) {
    this.replies = new OriginateReplies({ ...host.opts, controlQueue: host.controlQueue }, req);
  }

  /** Resolves when every leg of the session has ended. */
  async done(): Promise<void> {
    await Promise.all(this.legs.map((leg) => leg.done));
    if (this.maxTimer !== undefined) clearTimeout(this.maxTimer);
    await Promise.all(this.medias.map((m) => m.release().catch(() => undefined)));
  }

  async run(): Promise<OriginateOutcome> {
    try {
      return await this.originate();
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      await Promise.all([this.replies.error(err.cause, err.reason, this.req['Outbound-Call-ID']), this.host.notifier.originateFailed(this.req, err.cause, err.reason)]);
      return { ok: false, cause: err.cause, reason: err.reason };
    }
  }

  /** Ends everything: ringing legs are cancelled, answered ones hung up. Never throws. */
  async hangup(cause: string): Promise<void> {
    this.stopped = true;
    for (const leg of this.legs) {
      try {
        if (leg.state === 'new' || leg.state === 'ringing' || leg.state === 'early') leg.cancel(cause);
        else void leg.end({ cause });
      } catch (err) {
        this.ctx.logger.error({ err, callId: leg.callId }, 'hangup of a leg failed');
      }
    }
  }

  /**
   * Fault barrier for one call: whatever escaped ends this call only. Every leg ends (CHANNEL_DESTROY, channel
   * given back, also legs that never sent their INVITE), and a waiting requester gets its error reply.
   */
  async fail(err: unknown): Promise<OriginateOutcome> {
    const cause = 'NORMAL_TEMPORARY_FAILURE';
    const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    const callIds = this.legs.map((l) => l.callId);
    this.ctx.logger.error({ err, callId: callIds[0] ?? this.req['Outbound-Call-ID'], callIds, msgId: this.req['Msg-ID'], accountId: this.accountId }, 'originate failed unexpectedly: call ended');
    await this.hangup(cause);
    for (const leg of this.legs) if (leg.invite === undefined) void leg.end({ cause });
    try {
      if (!this.replies.finished) await this.replies.error(cause, reason, this.req['Outbound-Call-ID'] ?? callIds[0]);
      if (callIds.length === 0) await this.host.notifier.originateFailed(this.req, cause, reason);
    } catch (publishErr) {
      this.ctx.logger.warn({ err: publishErr, msgId: this.req['Msg-ID'] }, 'originate failure not reported');
    }
    return { ok: false, cause, reason };
  }

  private mediaMode(): MediaMode {
    const wanted = this.req.Media ?? 'bypass';
    const rtpengine = this.host.opts.media?.rtpengine;
    if (wanted === 'process' && rtpengine === undefined) throw new Refusal('MEDIA_SERVER_UNAVAILABLE', 'Media: process needs rtpengine and none is configured');
    return wanted === 'bypass' || rtpengine === undefined ? 'bypass' : 'process';
  }

  private newMedia(mode: MediaMode, callId: string): MediaSession {
    const rtpengine = this.host.opts.media?.rtpengine;
    const media = mode === 'process' && rtpengine !== undefined ? new ProcessMediaSession(rtpengine, callId) : new BypassMediaSession(new SdpOrigin(this.host.fromDomain));
    this.medias.push(media);
    return media;
  }

  private async originate(): Promise<OriginateOutcome> {
    const req = this.req;
    const mode = this.mediaMode();
    if (req['Application-Name'] === 'eavesdrop' || req['Application-Name'] === 'fax') throw new Refusal('FACILITY_NOT_IMPLEMENTED', `Application-Name: ${req['Application-Name']} is not supported`);
    const existing = req['Application-Name'] === 'bridge' ? this.host.findLeg(req['Existing-Call-ID'] ?? '') : undefined;
    if (req['Application-Name'] === 'bridge' && (existing?.dialog === undefined || existing.ended)) throw new Refusal('UNALLOCATED_NUMBER', `Existing-Call-ID ${req['Existing-Call-ID'] ?? ''} is not live on this node`);
    const { endpoints, failures } = ringableHere(this.resolved ?? (await this.host.opts.resolver.resolve(req, this.accountId, this.host.opts.nodeId)), this.host.opts.nodeId);
    this.resolved = undefined;
    if (endpoints.length === 0) {
      const first = failures[0];
      throw new Refusal(first?.cause ?? 'DESTINATION_OUT_OF_ORDER', first?.reason ?? 'no endpoint could be resolved');
    }
    await this.checkOutbound(endpoints);
    const medias = new Map<string, MediaSession>();
    const timeoutMs = (req.Timeout ?? DEFAULT_TIMEOUT_S) * 1000;
    let result: RingResult;
    if (req['Dial-Endpoint-Method'] === 'single') {
      const entries: SingleEntry[] = endpoints.map((e) => ({ endpoint: e, start: () => this.startSingle(e, mode, medias) }));
      result = await ringSingle(this.host.opts.sip, entries, timeoutMs, () => this.stopped);
    } else {
      await this.acquireChannels(endpoints.map((e) => e.callId));
      const legs = endpoints.map((e) => this.createLeg(e));
      await this.replies.uuid(req['Outbound-Call-ID'] ?? endpoints[0].callId);
      await Promise.all(legs.map((leg) => leg.create()));
      const candidates = endpoints.map((e, i) => this.candidate(legs[i], e, mode, medias));
      result = await ringSimultaneous(this.host.opts.sip, candidates, timeoutMs);
    }
    if (!result.answered) {
      await this.replies.error(result.cause, result.reason, endpoints[0].callId);
      return { ok: false, cause: result.cause, reason: result.reason };
    }
    const a: AnsweredA = { leg: result.winner.leg, dialog: result.dialog, endpoint: result.winner.endpoint, media: medias.get(result.winner.leg.callId) ?? this.newMedia(mode, result.winner.leg.callId) };
    if (result.response.body.length === 0) {
      await a.leg.end({ cause: 'INCOMPATIBLE_DESTINATION' });
      await this.replies.error('INCOMPATIBLE_DESTINATION', 'the answer carried no SDP offer', a.leg.callId);
      return { ok: false, cause: 'INCOMPATIBLE_DESTINATION', reason: 'the answer carried no SDP offer' };
    }
    this.startMaxDuration();
    return this.startApplication(a, existing);
  }

  /** The INVITE for one A-leg candidate; its 200's offer is answered by the candidate's own media plan. */
  private candidate(leg: Leg, e: ResolvedEndpoint, mode: MediaMode, medias: Map<string, MediaSession>): RingCandidate {
    const media = this.newMedia(mode, e.callId);
    medias.set(e.callId, media);
    const answer = (response: { body: Buffer }): Promise<string> | undefined => (response.body.length > 0 ? media.answerA(response.body.toString()) : undefined);
    return { leg, endpoint: e, invite: aLegInvite(this.req, e, this.host.fromDomain, this.host.contactUser, answer) };
  }

  /** `single`: takes the channel and announces the leg only now that it rings; a refusal after earlier legs rang is a plain failure. */
  private async startSingle(e: ResolvedEndpoint, mode: MediaMode, medias: Map<string, MediaSession>): Promise<RingCandidate | Extract<RingResult, { answered: false }>> {
    try {
      await this.acquireChannels([e.callId]);
    } catch (err) {
      if (!(err instanceof Refusal) || this.legs.length === 0) throw err;
      return { answered: false, cause: err.cause, reason: err.reason };
    }
    if (this.legs.length === 0) await this.replies.uuid(this.req['Outbound-Call-ID'] ?? e.callId);
    const leg = this.createLeg(e);
    await leg.create();
    return this.candidate(leg, e, mode, medias);
  }

  private async startApplication(a: AnsweredA, existing: Leg | undefined): Promise<OriginateOutcome> {
    const app = this.req['Application-Name'];
    await this.replies.success(a.leg.callId, existing?.callId);
    if (app === 'transfer') {
      a.leg.onRemoteEnd(() => void this.hangup('NORMAL_CLEARING'));
      void runTransfer(this, a).catch((err: unknown) => void this.fail(err));
    } else if (app === 'bridge' && existing !== undefined) {
      void this.bridgeExisting(a, existing).catch((err: unknown) => void this.fail(err));
    } else {
      a.leg.onRemoteEnd(() => void this.hangup('NORMAL_CLEARING'));
    }
    return { ok: true, callId: a.leg.callId, ...(existing !== undefined ? { otherLegCallId: existing.callId } : {}) };
  }

  /** 3PCC between two answered dialogs: the new leg's fresh offer goes to the existing one, its answer comes back in our ACK. */
  private async bridgeExisting(a: AnsweredA, existing: Leg): Promise<void> {
    const origin = new SdpOrigin(this.host.fromDomain);
    a.leg.onRemoteEnd(() => void this.host.hangup(existing.callId, 'NORMAL_CLEARING'));
    existing.onRemoteEnd(() => void a.leg.end({ cause: 'NORMAL_CLEARING' }));
    try {
      await a.dialog.reinvite({
        answer: async (response) => {
          const other = existing.dialog;
          if (other === undefined) return undefined;
          const reply = await other.reinvite({ body: response.body.toString() });
          return reply.status < 300 && reply.body.length > 0 ? origin.stamp(reply.body.toString()) : undefined;
        },
      });
      await Promise.all([a.leg.bridge(existing.callId), existing.bridge(a.leg.callId)]);
    } catch (err) {
      this.ctx.logger.warn({ err, callId: a.leg.callId }, 'bridge to existing call failed');
      await a.leg.end({ cause: 'NORMAL_TEMPORARY_FAILURE' });
    }
  }

  /** The request's Max-Call-Duration, capped by the node's maximum (a request cannot outlast it). */
  private startMaxDuration(): void {
    const node = this.host.opts.maxCallDurationSeconds;
    const limits = [this.req['Max-Call-Duration'], node !== undefined && node > 0 ? node : undefined].filter((s): s is number => s !== undefined);
    if (limits.length === 0) return;
    this.maxTimer = setTimeout(() => void this.hangup('ALLOTTED_TIMEOUT'), Math.min(...limits) * 1000);
  }

  /** One channel per leg under the account and every capping ancestor, all taken before anything rings; on refusal the ones taken are given back. */
  async acquireChannels(callIds: string[]): Promise<void> {
    const chain = await this.channelChain();
    this.ancestorIds = chain.slice(1).map((c) => c.accountId);
    const taken: string[] = [];
    for (const callId of callIds) {
      const verdict = await this.ctx.limits.acquireAlong(chain, callId, this.ctx.nodeId);
      if (!verdict.granted) {
        await Promise.all(taken.map((id) => this.ctx.limits.releaseAlong(chain.map((c) => c.accountId), id)));
        const own = verdict.accountId === this.accountId;
        const limit = chain.find((c) => c.accountId === verdict.accountId)?.limit ?? 0;
        throw new Refusal('channel_limit_reached', `${own ? `account ${this.accountId}` : 'a parent account'} is at its limit of ${limit} concurrent channels`);
      }
      taken.push(callId);
    }
  }

  /** The account, read once per request (outbound rules); null when it cannot be read. */
  private account(): Promise<Account | null> {
    this.accountDoc ??= this.host.opts.directory.accounts.find(this.accountId).catch(() => null);
    return this.accountDoc;
  }

  /** Outbound rules (destination classes and patterns, caller ids the account owns), enforced before anything rings. */
  private async checkOutbound(endpoints: ResolvedEndpoint[]): Promise<void> {
    const plan = this.host.opts.numberPlan ?? { defaultCountryCode: '1' };
    this.policy = policyFor(this.host.opts.directory, plan, (await this.account()) ?? { id: this.accountId }, endpoints);
    const verdict = await outboundRefusal(this.policy, this.req, endpoints, plan);
    if (!verdict.ok) throw new Refusal(verdict.cause, verdict.reason);
  }

  /**
   * The account's channel limit and each ancestor's that has one, nearest first, read once per request
   * (A-legs and the transfer's B-leg share it). The account's own holder is always kept, so it is counted.
   */
  private channelChain(): Promise<ChannelCap[]> {
    this.chain ??= channelChainOf(this.host.opts.directory, this.accountId);
    return this.chain;
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

  createLeg(e: ResolvedEndpoint): Leg {
    const cid = deviceCallerId(this.req, e);
    const owner = e.endpoint['Custom-Channel-Vars']?.['Owner-ID'];
    const leg = new Leg(this.ctx, {
      callId: e.callId, role: 'a', accountId: this.accountId, holdsChannel: true, channelAncestors: this.ancestorIds,
      ...(e.endpointId !== undefined ? { endpointId: e.endpointId } : {}),
      ...(typeof owner === 'string' && owner !== '' ? { ownerId: owner } : {}),
      from: `${cid.number}@${this.host.fromDomain}`, to: uriAddress(e.requestUri),
      callerIdNumber: cid.number, ...(cid.name !== undefined ? { callerIdName: cid.name } : {}),
      ...(this.req['Custom-Application-Vars'] !== undefined ? { cav: this.req['Custom-Application-Vars'] } : {}),
      ccv: this.ccvFor(e),
    });
    return this.adopt(leg);
  }

  /** Registers a leg with the session and the engine. */
  adopt(leg: Leg): Leg {
    this.legs.push(leg);
    this.host.track(leg, this);
    return leg;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get hostRef(): SessionHost {
    return this.host;
  }

  get legContext(): LegContext {
    return this.ctx;
  }

  static newCallId(): string {
    return newId();
  }
}
