import type { Dialog, InviteOptions, SipResponse, SipStack } from '@legwork/sip';
import type { Leg } from '../legs/leg';
import type { DialResult } from '../legs/leg.types';
import type { ResolvedEndpoint } from './originate.types';

export const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

/** What ringing reads of a candidate's endpoint: its own ring bound and start delay. */
export type RingTiming = Pick<ResolvedEndpoint, 'timeoutSeconds' | 'delaySeconds'>;

/** One leg to ring: an A-leg's resolved endpoint, or a destination's (a group member B-leg). */
export interface RingCandidate<E extends RingTiming = ResolvedEndpoint> {
  leg: Leg;
  endpoint: E;
  invite: InviteOptions;
  /** Runs before the INVITE (a push wake-up parks here) and gives the INVITE to send, or why the leg fails; bounded by the deadline. */
  prepare?: (deadline: number) => Promise<InviteOptions | Extract<DialResult, { kind: 'failed' }>>;
}

export type RingResult<E extends RingTiming = ResolvedEndpoint> =
  | { answered: true; winner: RingCandidate<E>; dialog: Dialog; response: SipResponse }
  | { answered: false; cause: string; status?: number; reason: string };

/** Told when a candidate's INVITE went out (after its push wake-up, if any). */
export type InviteSent = (c: Pick<RingCandidate<RingTiming>, 'leg'>) => void;

/** Dials one candidate, bounded by its own timeout and the overall deadline; ends it when it fails. Never rejects. */
async function dialOne<E extends RingTiming>(sip: SipStack, c: RingCandidate<E>, deadline: number, sent?: InviteSent): Promise<RingResult<E>> {
  const ownMs = c.endpoint.timeoutSeconds !== undefined ? c.endpoint.timeoutSeconds * 1000 : Infinity;
  const timer = setTimeout(() => c.leg.cancel('NO_ANSWER'), Math.max(0, Math.min(ownMs, deadline - Date.now())));
  let res: DialResult;
  try {
    const invite = c.prepare !== undefined ? await c.prepare(deadline) : c.invite;
    if ('kind' in invite) res = invite;
    else {
      const dialling = c.leg.dial(sip, invite);
      // dial() builds and sends the INVITE before its first await: the leg holds it now, or it never went out
      if (c.leg.inviteSent) sent?.(c);
      res = await dialling;
    }
  } catch (err) {
    // fault barrier: whatever dialling throws fails this leg (CHANNEL_DESTROY, channel given back), not the call or the node
    res = { kind: 'failed', cause: 'NORMAL_TEMPORARY_FAILURE', reason: `dialling failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
  if (res.kind === 'answered') return { answered: true, winner: c, dialog: res.dialog, response: res.response };
  await c.leg.end({ cause: res.cause, ...(res.status !== undefined ? { status: res.status } : {}) });
  return { answered: false, cause: res.cause, reason: res.reason, ...(res.status !== undefined ? { status: res.status } : {}) };
}

/** Rings every candidate at once; the first 200 wins and the rest are CANCELled (LOSE_RACE). */
export function ringSimultaneous<E extends RingTiming>(sip: SipStack, candidates: Array<RingCandidate<E>>, timeoutMs: number, sent?: InviteSent): Promise<RingResult<E>> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    let decided = false;
    let pending = candidates.length;
    let last: RingResult<E> = { answered: false, cause: 'NO_ANSWER', reason: 'nothing rang' };
    const delays: NodeJS.Timeout[] = [];
    const settle = (c: RingCandidate<E>, res: RingResult<E>): void => {
      pending -= 1;
      if (res.answered) {
        if (decided) {
          // answered after another leg won: it has lost the race
          void c.leg.end({ cause: 'LOSE_RACE' });
          return;
        }
        decided = true;
        delays.forEach(clearTimeout);
        for (const other of candidates) if (other !== c) other.leg.cancel('LOSE_RACE', COMPLETED_ELSEWHERE);
        resolve(res);
        return;
      }
      last = res;
      if (pending === 0 && !decided) {
        decided = true;
        resolve(last);
      }
    };
    for (const c of candidates) {
      const start = (): void => {
        if (c.leg.cancelled || c.leg.ended) {
          void c.leg.end({ cause: 'LOSE_RACE' }).then(() => settle(c, { answered: false, cause: 'LOSE_RACE', reason: 'not started' }));
          return;
        }
        void dialOne(sip, c, deadline, sent).then((res) => settle(c, res));
      };
      const delayMs = (c.endpoint.delaySeconds ?? 0) * 1000;
      if (delayMs > 0) delays.push(setTimeout(start, delayMs));
      else start();
    }
  });
}

/** A `single` candidate: its leg is created (channel taken, CHANNEL_CREATE) only when its turn to ring comes. */
export interface SingleEntry<E extends RingTiming = ResolvedEndpoint> {
  endpoint: E;
  /** The candidate ready to ring, or why it cannot start (e.g. the channel limit). */
  start(): Promise<RingCandidate<E> | RingFailure>;
}

type RingFailure = Extract<RingResult, { answered: false }>;

/** Rings the entries one after another, each bounded by its Endpoint-Timeout and what is left of the overall timeout. */
export async function ringSingle<E extends RingTiming>(sip: SipStack, entries: Array<SingleEntry<E>>, timeoutMs: number, stopped: () => boolean, sent?: InviteSent): Promise<RingResult<E>> {
  const deadline = Date.now() + timeoutMs;
  let last: RingFailure = { answered: false, cause: 'NO_ANSWER', reason: 'nothing rang' };
  for (const entry of entries) {
    if (stopped()) return { answered: false, cause: 'ORIGINATOR_CANCEL', reason: 'stopped before every endpoint rang' };
    if (Date.now() >= deadline) return { answered: false, cause: 'NO_ANSWER', reason: 'the overall timeout passed' };
    const started = await entry.start();
    if ('answered' in started) return started;
    const res = await dialOne(sip, started, deadline, sent);
    if (res.answered) return res;
    last = res;
  }
  return last;
}
