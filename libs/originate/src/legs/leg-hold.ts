import type { HoldState } from '@legwork/call-state';
import { isHold } from '@legwork/sip';

/** Who made an offer to a leg's session: we (`local`) or the leg's own party (`remote`). */
export type Offerer = 'local' | 'remote';

/**
 * A leg's hold once an offer/answer completed: the offerer holds when its offer is sendonly, inactive or aimed
 * at 0.0.0.0 (RFC 3264 §8.4, RFC 2543), and releases its hold with anything else. The other side keeps its own.
 */
export function holdAfterOffer(current: HoldState, offerer: Offerer, offer: string): HoldState {
  let holds: boolean;
  try {
    holds = isHold(offer);
  } catch {
    // SDP we cannot read changes nothing we can tell
    return current;
  }
  const local = offerer === 'local' ? holds : current === 'local' || current === 'both';
  const remote = offerer === 'remote' ? holds : current === 'remote' || current === 'both';
  if (local && remote) return 'both';
  if (local) return 'local';
  return remote ? 'remote' : 'none';
}

export const isHeld = (hold: HoldState): boolean => hold !== 'none';
