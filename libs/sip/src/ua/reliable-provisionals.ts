import { randomInt } from 'node:crypto';
import type { SipMessage, SipResponse } from '../message/sip-message';
import { SipTransactionError } from '../transaction/transaction.errors';
import { startTimer } from '../transaction/timers';

/** `RAck: response-num CSeq-num Method` (RFC 3262 §7.2); undefined when malformed. */
export function readRAck(message: SipMessage): { rseq: number; cseq: number; method: string } | undefined {
  const parts = (message.headers.get('rack') ?? '').trim().split(/\s+/);
  if (parts.length !== 3 || !/^\d{1,10}$/.test(parts[0] ?? '') || !/^\d{1,10}$/.test(parts[1] ?? '')) return undefined;
  return { rseq: Number(parts[0]), cseq: Number(parts[1]), method: (parts[2] ?? '').toUpperCase() };
}

/** `RSeq: response-num`; undefined when absent or malformed. */
export function readRSeq(message: SipMessage): number | undefined {
  const raw = message.headers.get('rseq')?.trim();
  return raw !== undefined && /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
}

type Outcome = 'pracked' | 'abandoned';

interface Outstanding {
  rseq: number;
  withSdp: boolean;
  acknowledged: Promise<Outcome>;
  settle: (outcome: Outcome) => void;
  stop: () => void;
}

export interface ReliableProvisionalsOptions {
  T1: number;
  /** Hands one copy of the response to the server transaction. */
  transmit(response: SipResponse): void;
  /** 64*T1 without a PRACK: the INVITE must be refused with a 5xx (RFC 3262 §3). */
  onGiveUp(): void;
}

/**
 * The UAS side of RFC 3262: numbers reliable provisionals (RSeq), retransmits each from T1 doubling until its
 * PRACK, sends the next only once the previous was acknowledged, and gives up after 64*T1.
 */
export class ReliableProvisionals {
  private nextRseq = randomInt(1, 2 ** 31);
  private outstanding: Outstanding | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: ReliableProvisionalsOptions) {}

  /** Queues a reliable provisional; resolves once it went out (after the previous one was PRACKed). */
  send(response: SipResponse, withSdp: boolean): Promise<void> {
    const turn = this.queue.then(() => this.start(response, withSdp));
    this.queue = turn.then(async (o) => void (await o?.acknowledged));
    return turn.then(() => undefined);
  }

  private start(response: SipResponse, withSdp: boolean): Outstanding | undefined {
    if (this.stopped) return undefined;
    const rseq = this.nextRseq++;
    response.headers.set('RSeq', String(rseq));
    let settle!: Outstanding['settle'];
    const acknowledged = new Promise<Outcome>((resolve) => (settle = resolve));
    const limit = 64 * this.opts.T1;
    let wait = this.opts.T1;
    let elapsed = 0;
    let cancel: () => void = () => undefined;
    // retransmissions at T1, 3T1, 7T1 ... 63T1 after the first send; at 64T1 the UAS gives up
    const retransmit = (): void => {
      elapsed += wait;
      if (elapsed >= limit) {
        this.abandon();
        this.opts.onGiveUp();
        return;
      }
      this.opts.transmit(response);
      wait = Math.min(wait * 2, limit - elapsed);
      cancel = startTimer(wait, retransmit);
    };
    const outstanding: Outstanding = { rseq, withSdp, acknowledged, settle, stop: () => cancel() };
    this.outstanding = outstanding;
    this.opts.transmit(response);
    cancel = startTimer(wait, retransmit);
    return outstanding;
  }

  /** A PRACK: true when it acknowledges the outstanding provisional (answer 200), false otherwise (481). */
  prack(rack: { rseq: number; cseq: number; method: string } | undefined, inviteSeq: number): boolean {
    const o = this.outstanding;
    if (o === undefined || rack === undefined || rack.rseq !== o.rseq || rack.cseq !== inviteSeq || rack.method !== 'INVITE') return false;
    this.outstanding = undefined;
    o.stop();
    o.settle('pracked');
    return true;
  }

  /** §3: a 2xx waits for the PRACK of an outstanding provisional that carried a session description. */
  async beforeFinal(success: boolean): Promise<void> {
    const o = this.outstanding;
    if (!success || o === undefined || !o.withSdp) return;
    if ((await o.acknowledged) === 'abandoned') throw new SipTransactionError('sip_no_prack', 'no PRACK for a reliable provisional within 64*T1');
  }

  /** The final response went out: no more retransmissions, queued provisionals are dropped; a late PRACK of the last one still matches. */
  stop(): void {
    this.stopped = true;
    this.outstanding?.stop();
    this.outstanding?.settle('abandoned');
  }

  private abandon(): void {
    const o = this.outstanding;
    this.outstanding = undefined;
    o?.stop();
    o?.settle('abandoned');
  }
}
