import type { TransferDialer, TransferOptions } from '../call/call-control';
import { CallControlError } from '../call/call-control.errors';
import type { Leg } from '../legs/leg';
import type { CallerEndpoint, SessionView } from './application.types';
import { connectToTargets } from './b-leg.dialer';
import { huntGroup } from './group-hunt';
import { retrieveTo } from './retrieve';
import { TransferMedia } from './transfer-media';

/**
 * Blind transfer on a call a session answered: the route is resolved as origination resolves one (a group hunted by
 * its strategy, local endpoints, then carriers, outbound rules included), the leaving leg ends, and the remaining party is dialled to it and
 * bridged like any B-leg. When no destination answers, the remaining party ends with the last cause.
 */
export class SessionTransferDialer implements TransferDialer {
  constructor(
    private readonly s: SessionView,
    private readonly endpoint: CallerEndpoint,
  ) {}

  async blindTransfer(leaving: Leg, remaining: Leg, route: string, opts: TransferOptions = {}): Promise<void> {
    const { s } = this;
    const { targets, failure, hunt } = await s.host.opts.resolver.resolveRoute(route, s.accountId);
    const allowed = targets.filter((t) => t.kind !== 'carrier' || t.number === undefined || s.policy?.destination(t.number).ok !== false);
    if (allowed.length === 0) throw new CallControlError('transfer_failed', `transfer to ${route} failed: ${failure?.reason ?? 'the destination is barred'}`, remaining.state);
    const dialog = remaining.dialog;
    if (dialog === undefined) throw new CallControlError('transfer_failed', `call ${remaining.callId} has no dialog`, remaining.state);
    await opts.beforeLeave?.();
    leaving.noteForDestroy({ Disposition: 'BLIND_TRANSFER', 'Transfer-To': route });
    await leaving.end({ cause: 'NORMAL_CLEARING' });
    await remaining.unbridge();
    const a = { leg: remaining, dialog, endpoint: this.endpoint, media: new TransferMedia(remaining) };
    s.call.keep(hunt !== undefined ? huntGroup(s, a, allowed, hunt) : connectToTargets(s, a, allowed, { cause: failure?.cause ?? 'NO_ROUTE_DESTINATION' }));
  }

  /** Rings the route's devices other than the leaving leg's for the remaining party (in the background); refuses when there is none. */
  async retrieve(leaving: Leg, remaining: Leg, route: string): Promise<void> {
    const { s } = this;
    const { targets, failure } = await s.host.opts.resolver.resolveRoute(route, s.accountId);
    const others = targets.filter((t) => t.kind === 'local' && t.endpointId !== leaving.init.endpointId);
    if (others.length === 0) throw new CallControlError('transfer_failed', `no other registered device of ${route} to retrieve the call to${failure !== undefined ? ` (${failure.reason})` : ''}`, leaving.state);
    const dialog = remaining.dialog;
    if (dialog === undefined) throw new CallControlError('transfer_failed', `call ${remaining.callId} has no dialog`, remaining.state);
    const a = { leg: remaining, dialog, endpoint: this.endpoint, media: new TransferMedia(remaining) };
    s.call.keep(retrieveTo(s, a, leaving, others));
  }
}
