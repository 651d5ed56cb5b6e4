import { type Logger, silentLogger } from '@legwork/common';
import type { SipTarget } from '@legwork/sip';
import type { ResolvedEndpoint } from '../engine/originate.types';
import { withRequestUser } from '../endpoints/endpoint-contacts';
import type { Leg } from '../legs/leg';
import { cancelPushReason, cancelReasonHeader } from './push-reason';
import type { PushWaits, WokenBinding } from './push-waits';
import type { DevicePush, PushKind, PushMessage, PushResult, PushSender } from './push.types';

export interface PushWakeOptions {
  senders: PushSender;
  waits: PushWaits;
  /** How long a parked leg waits for its device's REGISTER (PUSH_WAKE_TIMEOUT_SECONDS); never longer than the ring budget left. */
  timeoutMs: number;
  /**
   * Where this node reaches a woken binding for the leg `callId`: directly, or through the node holding its TCP/WS
   * connection (`route`: the Route to put on the INVITE); undefined when it cannot be reached at all.
   */
  reach(binding: WokenBinding, callId: string): Promise<{ target: SipTarget; requestUri: string; route?: string } | undefined>;
  logger?: Logger;
}

/** A leg parked for a push: ready to INVITE the woken binding, or why not (its CHANNEL_DESTROY cause). */
export type WakeResult = { ok: true; endpoint: ResolvedEndpoint; route?: string } | { ok: false; cause: string; status?: number; reason: string };

const fields = (push: DevicePush, kind: PushKind): Record<string, unknown> => ({
  'Push-Provider': push.provider, 'Push-PRID': push.prid, ...(push.param !== undefined ? { 'Push-Param': push.param } : {}), 'Push-Kind': kind,
});

/**
 * RFC 8599 wake-up of one A-leg in the ring path: push, park until the device REGISTERs (on any node), then hand back
 * the endpoint to INVITE. Events on the leg: PUSH_SENT or PUSH_FAILED, DEVICE_REGISTERED; cancel pushes when it stops.
 */
export class PushWake {
  private readonly logger: Logger;
  /** The legs this node is waking (parked or ringing after the wake-up), with their device, until they end. */
  private readonly legs = new Map<string, { leg: Leg; push: DevicePush }>();

  constructor(private readonly opts: PushWakeOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  get waits(): PushWaits {
    return this.opts.waits;
  }

  /** A leg this node is waking or has woken and still rings, with its device; undefined for any other call id. */
  heldLeg(callId: string): { leg: Leg; push: DevicePush } | undefined {
    const held = this.legs.get(callId);
    return held !== undefined && !held.leg.ended && held.leg.ringing ? held : undefined;
  }

  /** Sends one push for a leg this node holds and tells the leg's events (PUSH_SENT or PUSH_FAILED). */
  async pushFor(leg: Leg, push: DevicePush, kind: PushKind, callerName?: string): Promise<PushResult> {
    const sent = await this.opts.senders.send({ ...push, kind, callId: leg.callId, ...(callerName !== undefined ? { callerName } : {}) });
    if (sent.ok) await leg.announce('PUSH_SENT', fields(push, kind));
    else await leg.announce('PUSH_FAILED', { ...fields(push, kind), 'Push-Error': sent.error, ...(sent.status !== undefined ? { 'Push-Status': sent.status } : {}) });
    return sent;
  }

  /** A push for no leg of this node (a push-call API acting for another SIP proxy). */
  send(message: PushMessage): Promise<PushResult> {
    return this.opts.senders.send(message);
  }

  /** Whether a push to this provider can go out from this node. */
  serves(provider: string): boolean {
    const { senders } = this.opts;
    return 'serves' in senders && typeof senders.serves === 'function' ? Boolean(senders.serves(provider)) : true;
  }

  async wake(leg: Leg, e: ResolvedEndpoint, push: DevicePush & { requestUser?: string }, deadline: number, callerName?: string): Promise<WakeResult> {
    const timeoutMs = Math.max(0, Math.min(this.opts.timeoutMs, deadline - Date.now()));
    // parked before the push goes out, so a REGISTER quicker than the push's answer is not missed
    const wait = this.opts.waits.wait(leg.callId, push, timeoutMs);
    this.legs.set(leg.callId, { leg, push });
    void leg.done.then(() => this.legs.delete(leg.callId));
    leg.onCancel((cause) => wait.cancel(cause));
    const sent = await this.opts.senders.send({ ...push, kind: 'call', callId: leg.callId, ...(callerName !== undefined ? { callerName } : {}) });
    if (!sent.ok) {
      wait.cancel('PUSH_FAILED');
      await leg.announce('PUSH_FAILED', { ...fields(push, 'call'), 'Push-Error': sent.error, ...(sent.status !== undefined ? { 'Push-Status': sent.status } : {}) });
      return { ok: false, cause: 'DESTINATION_OUT_OF_ORDER', reason: `push to ${push.provider} failed: ${sent.error}` };
    }
    await leg.announce('PUSH_SENT', fields(push, 'call'));
    const outcome = await wait.outcome;
    if (outcome.kind !== 'registered') {
      const cause = outcome.kind === 'cancelled' ? outcome.cause : 'NO_USER_RESPONSE';
      await this.cancelPush(leg, push, cause);
      // the ring timeout while parked is the device not answering the push: 480, as for the wake timeout
      if (outcome.kind === 'cancelled' && cause !== 'NO_ANSWER') return { ok: false, cause, reason: 'cancelled while waiting for the device to register' };
      return { ok: false, cause: 'NO_USER_RESPONSE', status: 480, reason: `the ${push.provider} device did not register within ${timeoutMs} ms of the push` };
    }
    const { binding } = outcome;
    leg.noteForDestroy({ 'Push-Provider': push.provider, 'Push-Wake-Ms': outcome.afterMs });
    await leg.announce('DEVICE_REGISTERED', {
      'Push-Provider': push.provider, 'Push-PRID': push.prid, ...(push.param !== undefined ? { 'Push-Param': push.param } : {}),
      Contact: binding.contact, 'Registrar-Node': binding.ownerNode, 'Push-Wake-Ms': outcome.afterMs,
    });
    const reached = await this.opts.reach(binding, leg.callId);
    if (reached === undefined) {
      this.logger.warn({ callId: leg.callId, aor: binding.aor, node: binding.ownerNode }, 'push wake-up: the device registered over a connection of a node that cannot relay to it');
      await this.cancelPush(leg, push, 'NORMAL_TEMPORARY_FAILURE');
      return { ok: false, cause: 'DESTINATION_OUT_OF_ORDER', reason: `the woken device is reachable only through the connection node ${binding.ownerNode} holds, and that node cannot be reached` };
    }
    // ringing from here: a cancel is a SIP CANCEL saying why, plus a cancel push for the app's ringing screen
    leg.cancelReasonFor = cancelReasonHeader;
    leg.onCancel((cause) => leg.holdEndFor(this.cancelPush(leg, push, cause)));
    const requestUri = push.requestUser !== undefined ? withRequestUser(reached.requestUri, push.requestUser) : reached.requestUri;
    return { ok: true, endpoint: { ...e, requestUri, target: reached.target, aor: binding.aor }, ...(reached.route !== undefined ? { route: reached.route } : {}) };
  }

  /**
   * A request for a woken device whose binding lapsed mid-call (a hold re-INVITE): an `update` push, then its
   * REGISTER on any node; the dialog's request goes out once it registered.
   */
  async refresh(leg: Leg, push: DevicePush): Promise<{ ok: true } | { ok: false; reason: string }> {
    const { timeoutMs } = this.opts;
    const wait = this.opts.waits.wait(leg.callId, push, timeoutMs);
    const sent = await this.opts.senders.send({ ...push, kind: 'update', callId: leg.callId });
    if (!sent.ok) {
      wait.cancel('PUSH_FAILED');
      await leg.announce('PUSH_FAILED', { ...fields(push, 'update'), 'Push-Error': sent.error, ...(sent.status !== undefined ? { 'Push-Status': sent.status } : {}) });
      return { ok: false, reason: `update push to ${push.provider} failed: ${sent.error}` };
    }
    await leg.announce('PUSH_SENT', fields(push, 'update'));
    const outcome = await wait.outcome;
    if (outcome.kind !== 'registered') return { ok: false, reason: `the ${push.provider} device did not register within ${timeoutMs} ms of the update push` };
    await leg.announce('DEVICE_REGISTERED', {
      'Push-Provider': push.provider, 'Push-PRID': push.prid, ...(push.param !== undefined ? { 'Push-Param': push.param } : {}),
      Contact: outcome.binding.contact, 'Registrar-Node': outcome.binding.ownerNode, 'Push-Wake-Ms': outcome.afterMs,
    });
    return { ok: true };
  }

  private async cancelPush(leg: Leg, push: DevicePush, cause: string): Promise<void> {
    const reason = cancelPushReason(cause);
    const sent = await this.opts.senders.send({ ...push, kind: 'cancel', callId: leg.callId, reason });
    if (sent.ok) await leg.announce('PUSH_SENT', { ...fields(push, 'cancel'), 'Push-Reason': reason });
    else await leg.announce('PUSH_FAILED', { ...fields(push, 'cancel'), 'Push-Reason': reason, 'Push-Error': sent.error, ...(sent.status !== undefined ? { 'Push-Status': sent.status } : {}) });
  }
}
