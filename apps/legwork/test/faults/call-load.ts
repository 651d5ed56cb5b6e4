import type { FaultPlatform } from './fault-platform';

/** What sends the load's quickcalls. */
export type QuickcallSender = Pick<FaultPlatform, 'quickcall'>;

/** One quickcall of the load: what the gateway answered, and when. */
export interface Attempt {
  n: number;
  at: number;
  /** When the answer came. */
  doneAt: number;
  status: number;
  callId?: string;
  error?: string;
}

/** A steady stream of GET quickcalls (each one rings the phone, which answers, and then the carrier). */
export class CallLoad {
  readonly attempts: Attempt[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private n = 0;

  constructor(
    private readonly platform: QuickcallSender,
    private readonly perSecond: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.fire(), Math.round(1000 / this.perSecond));
  }

  private fire(): void {
    const n = ++this.n;
    const at = Date.now();
    const job = this.platform
      .quickcall(n)
      .then((r) => void this.attempts.push({ n, at, doneAt: Date.now(), status: r.status, ...(r.callId !== undefined ? { callId: r.callId } : {}) }))
      .catch((err: unknown) => void this.attempts.push({ n, at, doneAt: Date.now(), status: 0, error: String(err) }));
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  /** Stops sending and waits for every request still in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
  }

  accepted(): Attempt[] {
    return this.attempts.filter((a) => a.status === 202);
  }

  /** Answers by status, e.g. `{ 202: 120, 503: 14 }`. */
  byStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.attempts) out[String(a.status)] = (out[String(a.status)] ?? 0) + 1;
    return out;
  }
}
