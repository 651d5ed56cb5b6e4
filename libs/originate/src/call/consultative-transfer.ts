import type { Logger } from '@legwork/common';
import type { Leg } from '../legs/leg';
import type { Call } from './call';
import { controlState, type TransferOptions } from './call-control';
import { CallControlError } from './call-control.errors';
import { heldByUs, stopHoldMedia } from './call-hold';
import { reofferLeg } from './leg-reinvite';
import { offerAcross } from './media-relay';

/** The state a command reports for a leg already taking part in a consultative transfer. */
export const TRANSFERRING = 'transferring';

/** One half of a consultative transfer: a call and the user's leg in it. */
export interface TransferHalf {
  call: Call;
  leg: Leg;
}

/** The two remote parties, now joined to each other in the first call. */
export interface JoinedParties {
  remaining: Leg;
  joined: Leg;
}

const invalid = (message: string, state: string): CallControlError => new CallControlError('invalid_state', message, state);

/** The user's answered leg and its answered remote party; anything else does not apply. */
function remoteOf(half: TransferHalf): Leg {
  const { call, leg } = half;
  if (leg.ended) throw invalid(`call ${leg.callId} has ended`, 'ended');
  if (leg.ringing) throw invalid(`call ${leg.callId} has not been answered yet`, leg.state);
  const remote = call.peerOf(leg);
  if (remote === undefined || remote.ended || remote.ringing || remote.dialog === undefined) throw invalid(`call ${leg.callId} has no answered remote party to transfer`, controlState(leg));
  return remote;
}

/**
 * Consultative transfer across two calls of one user on this node: the remote parties are re-INVITEd toward each
 * other (each gets the other's session), the second one moves into the first call paired with the first one, and
 * the user's two legs are released. Each leg takes part in one transfer at a time.
 */
export class ConsultativeTransfers {
  private readonly busy = new Set<string>();

  constructor(private readonly logger: Logger) {}

  async join(first: TransferHalf, second: TransferHalf, opts: TransferOptions = {}): Promise<JoinedParties> {
    if (first.leg.callId === second.leg.callId || first.call === second.call) throw invalid(`call ${first.leg.callId} cannot be transferred to itself`, controlState(first.leg));
    const ids = [first.leg.callId, second.leg.callId];
    const taken = ids.find((id) => this.busy.has(id));
    if (taken !== undefined) throw invalid(`a consultative transfer of call ${taken} is already in progress`, TRANSFERRING);
    const remaining = remoteOf(first);
    const joined = remoteOf(second);
    ids.forEach((id) => this.busy.add(id));
    try {
      await this.connect(first.call, remaining, joined);
      // a REFER's final NOTIFY goes out in the user's dialog before its BYE
      await opts.beforeLeave?.();
    } finally {
      ids.forEach((id) => this.busy.delete(id));
    }
    second.call.handOver(joined, first.call);
    first.call.pair(remaining, joined);
    for (const { leg } of [first, second]) {
      leg.noteForDestroy({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': leg === first.leg ? joined.callId : remaining.callId });
      void leg.end({ cause: 'NORMAL_CLEARING' });
    }
    await Promise.all([remaining.unbridge(), joined.unbridge()]);
    await Promise.all([remaining.bridge(joined), joined.bridge(remaining)]);
    return { remaining, joined };
  }

  /** Each remote party gets the other's session (their media meets directly); a refusal fails the transfer and both calls keep their pairing. */
  private async connect(call: Call, remaining: Leg, joined: Leg): Promise<void> {
    for (const leg of [remaining, joined]) if (heldByUs(leg)) await stopHoldMedia(leg, this.logger);
    const joinedSdp = joined.remoteSdp;
    if (joinedSdp === undefined) throw new CallControlError('transfer_failed', `call ${joined.callId} has no session to transfer`, joined.state);
    await call.negotiation.run(async () => {
      const toRemaining = await offerAcross(joined, remaining, joinedSdp);
      const answer = await this.offer(remaining, toRemaining);
      await this.offer(joined, await offerAcross(remaining, joined, answer));
    });
  }

  private async offer(leg: Leg, sdp: string): Promise<string> {
    const outcome = await reofferLeg(leg, sdp);
    if (!outcome.ok) throw new CallControlError('transfer_failed', `the party of call ${leg.callId} refused the transfer (${outcome.status})`, leg.state);
    return outcome.answer;
  }
}
