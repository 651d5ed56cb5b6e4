/** One queued re-INVITE of ours: started when the dialog is free, or failed when the dialog ends first. */
interface Waiting {
  start: () => void;
  fail: (err: unknown) => void;
}

/**
 * RFC 3261 §14.1: one INVITE transaction per dialog at a time, in either direction. Our re-INVITEs wait their
 * turn here instead of colliding; a re-INVITE of the peer's that arrives while ours only waits is served first,
 * so a 491 goes out only for real glare (ours already sent).
 */
export class InviteQueue {
  // created on first wait: most dialogs never queue anything
  private waiting: Waiting[] | undefined;
  /** Our re-INVITE is out: from sending it until its final response (and, for a 2xx, our ACK). */
  outgoing = false;
  /** The peer's re-INVITE or offer is being answered: until its ACK, or the response to its UPDATE. */
  incoming = false;

  /** `dialog.pendingAck`: a 2xx of ours still waiting for its ACK keeps the dialog busy too. */
  constructor(private readonly dialog: { readonly pendingAck: unknown }) {}

  get idle(): boolean {
    return !this.outgoing && !this.incoming && this.dialog.pendingAck === undefined;
  }

  get queued(): number {
    return this.waiting?.length ?? 0;
  }

  /** Starts at once when the dialog is free and nothing waits, else when its turn comes. */
  run<T>(start: () => Promise<T>): Promise<T> {
    if (this.idle && this.queued === 0) return start();
    return new Promise<T>((resolve, reject) => (this.waiting ??= []).push({ start: () => void start().then(resolve, reject), fail: reject }));
  }

  /** An exchange finished: the next waiting re-INVITE starts if the dialog is free. */
  next(): void {
    if (!this.idle) return;
    this.waiting?.shift()?.start();
  }

  /** The dialog ended: nothing queued will ever be sent. */
  failAll(err: unknown): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    for (const w of waiting) w.fail(err);
  }
}
