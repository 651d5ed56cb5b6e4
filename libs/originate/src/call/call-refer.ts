import type { Logger } from '@legwork/common';
import { sipText } from '@legwork/contracts';
import type { DialogRequestReceiver, IncomingRequest, SipRequest } from '@legwork/sip';
import type { Leg } from '../legs/leg';
import type { LegControls, TransferOptions } from './call-control';
import { CallControlError } from './call-control.errors';
import { type Replaces, replacesOf } from './replaces';

const SIPFRAG = 'message/sipfrag;version=2.0';
const DONE = 'terminated;reason=noresource';

/** Where an attended REFER's Replaces is looked up and carried out (the engine: it knows every call of the node). */
export interface AttendedTransfers {
  /** Rejects with a CallControlError: no_such_dialog when the Replaces names no dialog of the same user here. */
  attendedTransfer(leg: Leg, replaces: Replaces, opts: TransferOptions): Promise<unknown>;
}

type Target = { ok: true; route: string } | { ok: true; replaces: Replaces } | { ok: false; status: number; reason: string };

const badReferTo = (reason = 'Bad Refer-To'): Target => ({ ok: false, status: 400, reason });

/** What a Refer-To asks: an attended transfer when its URI carries Replaces, else the route it names (checked as an originate's Route is). */
function referTarget(request: SipRequest): Target {
  const parsed = request.getNameAddr('refer-to');
  if (!parsed.ok || parsed.value === undefined) return badReferTo();
  const uri = parsed.value.uri;
  if (uri.kind === 'sip' && uri.headers.length > 0) {
    const replaces = replacesOf(uri.headers);
    // a URI header other than Replaces (a body or other headers for the new INVITE) asks for more than a transfer: 501, as RFC 3261 §8.2.2.3 answers what a UAS does not support
    if (replaces === undefined) return { ok: false, status: 501, reason: 'Refer-To Headers Not Implemented' };
    return replaces.ok ? { ok: true, replaces: replaces.value } : badReferTo(`Bad Refer-To: ${replaces.reason}`);
  }
  let route: string | undefined;
  try {
    route = uri.kind === 'sip' && uri.user !== undefined ? decodeURIComponent(uri.user) : uri.kind === 'tel' ? uri.number : undefined;
  } catch {
    route = undefined;
  }
  if (route === undefined || !sipText.uri.safeParse(route).success) return badReferTo();
  return { ok: true, route };
}

/** The sipfrag status a failed transfer reports (RFC 3891 §3: 481 for a dialog not found, 486 for early-only on a confirmed one). */
function failureFrag(err: unknown, attended: boolean): string {
  const code = err instanceof CallControlError ? err.code : undefined;
  if (code === 'no_such_dialog') return 'SIP/2.0 481 Call/Transaction Does Not Exist';
  if (code === 'invalid_state') return 'SIP/2.0 403 Forbidden';
  if (code === 'transfer_failed') return attended ? 'SIP/2.0 503 Service Unavailable' : 'SIP/2.0 404 Not Found';
  return 'SIP/2.0 500 Server Internal Error';
}

/**
 * RFC 3515 REFER from a leg's own phone: 202, then the transfer, told back in NOTIFYs (message/sipfrag): 100 Trying
 * at once, and 200 OK just before the phone's leg is released, since the B2BUA carries the transfer on; a failure's
 * status otherwise. A blind one is the blind transfer command; one with Replaces (RFC 5589 §7) is the consultative
 * transfer of this call and the one whose dialog the Replaces names.
 */
export function acceptRefers(leg: Leg, controls: LegControls, logger: Logger, attended: AttendedTransfers): void {
  leg.dialog?.onRequest('REFER', new ReferReceiver(leg, controls, logger, attended));
}

/** One small object per dialog rather than a closure and its scope: every held call's dialogs keep one. */
class ReferReceiver implements DialogRequestReceiver {
  constructor(
    private readonly leg: Leg,
    private readonly controls: LegControls,
    private readonly logger: Logger,
    private readonly attended: AttendedTransfers,
  ) {}

  receiveRequest(incoming: IncomingRequest): Promise<void> {
    return referred(this.leg, this.controls, this.attended, incoming, this.logger);
  }
}

async function referred(leg: Leg, controls: LegControls, attended: AttendedTransfers, incoming: IncomingRequest, logger: Logger): Promise<void> {
  const target = referTarget(incoming.request);
  if (!target.ok) return incoming.reply(target.status, { reason: target.reason });
  await incoming.reply(202);
  const notify = async (frag: string, state: string): Promise<void> => {
    await leg.dialog?.request('NOTIFY', { headers: [['Event', 'refer'], ['Subscription-State', state]], body: `${frag}\r\n`, contentType: SIPFRAG }).catch((err: unknown) => {
      logger.warn({ err, callId: leg.callId }, 'transfer NOTIFY not delivered');
    });
  };
  await notify('SIP/2.0 100 Trying', 'active;expires=60');
  const opts = { beforeLeave: () => notify('SIP/2.0 200 OK', DONE) };
  try {
    if (!('replaces' in target)) await controls.blindTransfer(leg.callId, target.route, opts);
    // we only ever replace a confirmed dialog: early-only cannot be honoured
    else if (target.replaces.earlyOnly) await notify('SIP/2.0 486 Busy Here', DONE);
    else await attended.attendedTransfer(leg, target.replaces, opts);
  } catch (err) {
    const about = 'replaces' in target ? { replaces: target.replaces.callId } : { route: target.route };
    logger.info({ callId: leg.callId, ...about, reason: err instanceof Error ? err.message : String(err) }, 'REFER not carried out');
    await notify(failureFrag(err, 'replaces' in target), DONE);
  }
}
