import { type Logger, newId } from '@legwork/common';
import { originateRequestSchema, type OriginateRequest } from '@legwork/contracts';
import type { ImrnRepository } from '@legwork/call-state';
import type { Directory } from '@legwork/directory';
import { type DigestAuthenticator, type IncomingInvite, type NonceCounter, unescapeUriPart } from '@legwork/sip';
import type { OriginateEngine } from '../engine/originate.engine';
import type { OriginateSession } from '../engine/originate.session';
import type { MediaMode } from '../media/media.types';
import { Refusal } from '../engine/refusal';
import type { Scalar } from '../legs/leg.types';
import { InboundBridgeApplication } from './inbound.application';
import { InboundGate, type InboundAdmission } from './inbound-gate';
import { InboundLeg } from './inbound-leg';
import { InboundMedia } from './inbound-media';
import { inboundMediaMode, inboundSdpPath } from './inbound-media-mode';
import { inboundFailureStatus } from './inbound-status';
import { type InboundTargets, imrnTargets, inboundTargets } from './inbound-targets';

/** How long an inbound call rings its targets when nothing else says (FreeSWITCH's call_timeout default). */
export const INBOUND_RING_TIMEOUT_S = 30;

export interface InboundCallsOptions {
  engine: OriginateEngine;
  directory: Directory;
  /** The registrar's digest settings (same secret on every node): carriers with credentials answer its challenges. */
  digest: DigestAuthenticator;
  nonces: NonceCounter;
  logger: Logger;
  appName: string;
  appVersion: string;
  ringTimeoutSeconds?: number;
  /** IMRN reservations (the call store's): an INVITE to a reserved IMRN is connected to the reserved number. */
  imrns?: ImrnRepository;
}

type Admitted = Extract<InboundAdmission, { ok: true }>;

const CALLER_NUMBER = /^[+\w*#.-]{1,64}$/;
const CALLER_HOST = /^[\w.:[\]-]{1,255}$/;
// letters, digits, spaces and common punctuation: it becomes a quoted display name again
const CALLER_NAME = /^[\p{L}\p{N} .,'&()_+-]{1,128}$/u;

/** The caller as its From shows it: the user part as number, the display name, both only when SIP-safe (else anonymous). */
function callerOf(invite: IncomingInvite): { number: string; name?: string; host: string } {
  const from = invite.request.from;
  const uri = from?.uri;
  const host = uri?.kind === 'sip' ? uri.host : invite.source.remoteAddress;
  let user: string | undefined;
  try {
    user = uri?.kind === 'sip' && uri.user !== undefined ? unescapeUriPart(uri.user) : uri?.kind === 'tel' ? uri.number : undefined;
  } catch {
    user = undefined;
  }
  const name = from?.displayName;
  // both reach the devices' INVITEs, the call record and events: anything unusual is shown as anonymous
  return {
    number: user !== undefined && CALLER_NUMBER.test(user) ? user : 'anonymous',
    host: CALLER_HOST.test(host) ? host : invite.source.remoteAddress,
    ...(name !== undefined && CALLER_NAME.test(name) ? { name } : {}),
  };
}

/**
 * Out-of-dialog INVITEs: calls from carriers to the platform's DIDs. The gate admits or refuses (no open relay);
 * an admitted call is an originate session on the engine whose Call holds the caller's leg from the start, rings
 * the DID owner's devices with the caller's offer, and bridges the one that answers.
 */
export class InboundCalls {
  private readonly gate: InboundGate;

  constructor(private readonly opts: InboundCallsOptions) {
    this.gate = new InboundGate({ directory: opts.directory, digest: opts.digest, nonces: opts.nonces, logger: opts.logger, ...(opts.imrns !== undefined ? { imrns: opts.imrns } : {}) });
  }

  /** Never throws: whatever fails ends this call (a final response to the carrier), never the node. */
  async handle(invite: IncomingInvite): Promise<void> {
    try {
      await this.run(invite);
    } catch (err) {
      this.opts.logger.error({ err, sipCallId: invite.request.callId }, 'inbound call failed');
      await invite.reply(500).catch(() => undefined);
    }
  }

  private async run(invite: IncomingInvite): Promise<void> {
    const admission = await this.gate.admit(invite.request, invite.source);
    if (!admission.ok) {
      await invite.reply(admission.status, { reason: admission.reason, ...(admission.headers !== undefined ? { headers: admission.headers } : {}) });
      return;
    }
    // an offerless INVITE (late offer) is answered with the answering target's offer
    const type = invite.request.contentType?.split(';')[0]?.trim().toLowerCase();
    if (invite.request.body.length > 0 && type !== undefined && type !== 'application/sdp') {
      await invite.reply(415, { headers: [['Accept', 'application/sdp']] });
      return;
    }
    const mode = inboundMediaMode(admission.resource, this.opts.engine.opts.media?.rtpengine);
    if (mode === undefined) {
      this.opts.logger.warn({ event: 'inbound_refused', resourceId: admission.resource.id, reason: 'media_server_unavailable' }, `inbound refused status=503 resource=${admission.resource.id} reason=media_server_unavailable`);
      await invite.reply(503, { reason: 'Media Server Unavailable' });
      return;
    }
    const targets = admission.imrn !== undefined ? imrnTargets(admission.imrn) : await inboundTargets(this.opts.directory, admission.owner);
    if (targets.endpoints.length === 0) {
      await invite.reply(480, { reason: 'Temporarily Unavailable' });
      return;
    }
    await this.ring(invite, admission, targets, mode);
  }

  private async ring(invite: IncomingInvite, admission: Admitted, targets: InboundTargets, mode: MediaMode): Promise<void> {
    const { engine, logger } = this.opts;
    const { accountId, resource, number } = admission;
    // an IMRN call presents the caller id of its reservation
    const caller = admission.imrn !== undefined ? { number: admission.imrn.callingPhoneNumber, host: this.opts.engine.fromDomain } : callerOf(invite);
    const req = this.request(targets, caller, mode, { 'Account-ID': accountId, 'Resource-ID': resource.id, ...(targets.ownerId !== undefined ? { 'Owner-ID': targets.ownerId } : {}) });
    const callId = newId();
    const media = new InboundMedia(inboundSdpPath(mode, engine.opts.media?.rtpengine, callId));
    const app = new InboundBridgeApplication(media);
    // the devices' legs count with the caller's, so the whole inbound call is one Event-Sequence
    const session = engine.inboundSession(req, accountId, { application: app, offer: { sdp: () => media.offerForTargets(), media: (id) => media.forTarget(id) }, sequenceId: callId });
    if (session === undefined) {
      await invite.reply(503, { reason: 'Shutting Down' });
      return;
    }
    try {
      await session.channels.acquire([callId]);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      logger.info({ event: 'inbound_refused', accountId, number, reason: err.reason }, `inbound refused status=503 account=${accountId} reason=${err.cause}`);
      await invite.reply(inboundFailureStatus(err.cause), { reason: 'Channel Limit Reached' });
      return;
    }
    const leg = this.callerLeg(session, invite, callId, caller, number, targets);
    app.bind(leg);
    media.bind(leg);
    void session.call.done.then(() => media.release().catch(() => undefined));
    session.call.adopt(leg);
    await leg.create();
    invite.onCancel(() => void session.call.hangup('ORIGINATOR_CANCEL'));
    if (invite.cancelled) await session.call.hangup('ORIGINATOR_CANCEL');
    logger.info({ callId, accountId, number, resourceId: resource.id, by: admission.by, targets: targets.endpoints.length, media: mode, lateOffer: media.lateOffer, ...(admission.imrn !== undefined ? { imrnTo: admission.imrn.phoneNumber } : {}) }, admission.imrn !== undefined ? 'inbound call to an IMRN' : 'inbound call');
    const outcome = await session.run();
    if (!outcome.ok && !leg.ended) await leg.reject(outcome.cause);
  }

  private callerLeg(session: OriginateSession, invite: IncomingInvite, callId: string, caller: ReturnType<typeof callerOf>, number: string, targets: InboundTargets): InboundLeg {
    const ccv: Record<string, Scalar> = { ...(session.req['Custom-Channel-Vars'] ?? {}) };
    return new InboundLeg(
      session.legContext,
      {
        callId, role: 'a', accountId: session.accountId, holdsChannel: true, channelAncestors: session.channels.ancestorIds,
        from: `${caller.number}@${caller.host}`, to: `${number}@${this.opts.engine.fromDomain}`,
        callerIdNumber: caller.number, ...(caller.name !== undefined ? { callerIdName: caller.name } : {}),
        calleeIdNumber: number, ...(targets.ownerId !== undefined ? { ownerId: targets.ownerId } : {}), ccv,
      },
      invite,
    );
  }

  /** The ringing as an originate request of the owner's account: the caller's id shown to the devices when it is SIP-safe. */
  private request(targets: InboundTargets, caller: ReturnType<typeof callerOf>, media: MediaMode, ccv: Record<string, Scalar>): OriginateRequest {
    const base = {
      'App-Name': this.opts.appName, 'App-Version': this.opts.appVersion, 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Msg-ID': newId(),
      'Application-Name': 'park', Endpoints: targets.endpoints, 'Dial-Endpoint-Method': targets.method, Media: media,
      Timeout: this.opts.ringTimeoutSeconds ?? INBOUND_RING_TIMEOUT_S, 'Custom-Channel-Vars': ccv,
    };
    const shown = originateRequestSchema.safeParse({ ...base, 'Outbound-Caller-ID-Number': caller.number, ...(caller.name !== undefined ? { 'Outbound-Caller-ID-Name': caller.name } : {}) });
    return shown.success ? shown.data : originateRequestSchema.parse(base);
  }
}
