import type { Logger } from '@legwork/common';
import { sipText } from '@legwork/contracts';
import type { IncomingRequest, SipRequest } from '@legwork/sip';
import type { Leg } from '../legs/leg';
import type { LegControls } from './call-control';
import { CallControlError } from './call-control.errors';

const SIPFRAG = 'message/sipfrag;version=2.0';
const DONE = 'terminated;reason=noresource';

type Target = { ok: true; route: string } | { ok: false; status: number; reason: string };

/** The route a Refer-To names: the user part of a SIP URI (or a tel number), checked as an originate's Route is. */
function referTarget(request: SipRequest): Target {
  const parsed = request.getNameAddr('refer-to');
  if (!parsed.ok || parsed.value === undefined) return { ok: false, status: 400, reason: 'Bad Refer-To' };
  const uri = parsed.value.uri;
  // Replaces (an attended transfer) or any other URI header asks for more than a blind transfer
  if (uri.kind === 'sip' && uri.headers.length > 0) return { ok: false, status: 501, reason: 'Attended Transfer Not Implemented' };
  let route: string | undefined;
  try {
    route = uri.kind === 'sip' && uri.user !== undefined ? decodeURIComponent(uri.user) : uri.kind === 'tel' ? uri.number : undefined;
  } catch {
    route = undefined;
  }
  if (route === undefined || !sipText.uri.safeParse(route).success) return { ok: false, status: 400, reason: 'Bad Refer-To' };
  return { ok: true, route };
}

/**
 * RFC 3515 REFER from a leg's own phone: 202, then the same blind transfer as the command (its peer is dialled to
 * the Refer-To target, the phone's leg ends), told back in NOTIFYs (message/sipfrag): 100 Trying at once, and 200 OK
 * just before the phone's leg is released, since the B2BUA carries the transfer on; a failure's status otherwise.
 */
export function acceptRefers(leg: Leg, controls: LegControls, logger: Logger): void {
  leg.dialog?.onRequest('REFER', (incoming) => referred(leg, controls, incoming, logger));
}

async function referred(leg: Leg, controls: LegControls, incoming: IncomingRequest, logger: Logger): Promise<void> {
  const target = referTarget(incoming.request);
  if (!target.ok) return incoming.reply(target.status, { reason: target.reason });
  await incoming.reply(202);
  const notify = async (frag: string, state: string): Promise<void> => {
    await leg.dialog?.request('NOTIFY', { headers: [['Event', 'refer'], ['Subscription-State', state]], body: `${frag}\r\n`, contentType: SIPFRAG }).catch((err: unknown) => {
      logger.warn({ err, callId: leg.callId }, 'transfer NOTIFY not delivered');
    });
  };
  await notify('SIP/2.0 100 Trying', 'active;expires=60');
  try {
    await controls.blindTransfer(leg.callId, target.route, { beforeLeave: () => notify('SIP/2.0 200 OK', DONE) });
  } catch (err) {
    const code = err instanceof CallControlError ? err.code : undefined;
    logger.info({ callId: leg.callId, route: target.route, reason: err instanceof Error ? err.message : String(err) }, 'REFER not carried out');
    await notify(code === 'invalid_state' ? 'SIP/2.0 403 Forbidden' : code === 'transfer_failed' ? 'SIP/2.0 404 Not Found' : 'SIP/2.0 500 Server Internal Error', DONE);
  }
}
