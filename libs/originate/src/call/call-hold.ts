import type { Logger } from '@legwork/common';
import { type SdpDirection, setDirection, withNextVersion } from '@legwork/sip';
import type { Leg } from '../legs/leg';
import { HOLD_REPEAT_TIMES, type HoldMedia } from '../media/hold-music';
import type { CallNegotiation } from './call-negotiation';
import { CallControlError } from './call-control.errors';

/** We hold the leg's party (our last offer to it was sendonly); its own hold of us is its business. */
export const heldByUs = (leg: Leg): boolean => leg.hold === 'local' || leg.hold === 'both';

/** Re-offers the session in force toward the leg with another direction; the 2xx updates its hold (CHANNEL_HOLD / CHANNEL_UNHOLD). */
async function reofferDirection(negotiation: CallNegotiation, leg: Leg, direction: SdpDirection): Promise<void> {
  const inForce = leg.localSdp;
  if (inForce === undefined) throw new CallControlError('hold_failed', `call ${leg.callId} has no session to change`, leg.state);
  const changed = setDirection(inForce, direction);
  // bypass A-legs were answered under our origin: it keeps growing; any other session just takes the next version
  const offer = leg.media?.origin?.stamp(changed) ?? withNextVersion(changed);
  const reply = await negotiation.offerTo(leg, offer);
  if (reply.status >= 300) throw new CallControlError('hold_failed', `the party of call ${leg.callId} answered ${reply.status} ${reply.reason}`, leg.state);
  await leg.idle();
}

/** Holds the leg's party: sendonly toward it, and through rtpengine the hold media instead of the other side. */
export async function holdLeg(negotiation: CallNegotiation, leg: Leg, media: HoldMedia, logger: Logger): Promise<void> {
  await reofferDirection(negotiation, leg, 'sendonly');
  const anchor = leg.media?.anchor;
  if (anchor === undefined) return;
  try {
    await anchor.call.block(anchor.otherTag);
    await anchor.call.playTo(anchor.tag, media, HOLD_REPEAT_TIMES);
  } catch (err) {
    // the hold itself stands: the party just hears the other side muted instead of music
    logger.warn({ err, callId: leg.callId }, 'music on hold not started');
  }
}

/** Ends what holdLeg started on rtpengine (music, the other side muted) without touching SIP. */
export async function stopHoldMedia(leg: Leg, logger: Logger): Promise<void> {
  const anchor = leg.media?.anchor;
  if (anchor === undefined) return;
  try {
    await anchor.call.stopPlayingTo(anchor.tag);
    await anchor.call.unblock(anchor.otherTag);
  } catch (err) {
    logger.warn({ err, callId: leg.callId }, 'music on hold not stopped');
  }
}

/** Takes the leg's party off hold: the music stops, sendrecv toward it again. */
export async function unholdLeg(negotiation: CallNegotiation, leg: Leg, logger: Logger): Promise<void> {
  await stopHoldMedia(leg, logger);
  await reofferDirection(negotiation, leg, 'sendrecv');
}
