import { performance } from 'node:perf_hooks';

export interface ConnectionTimings {
  /** A new inbound connection must deliver one complete SIP message (after any TLS/WebSocket handshake) within this. */
  firstMessageTimeoutMs: number;
  /** A message whose first bytes arrived must be complete within this. */
  messageTimeoutMs: number;
  /** Idle limit of a flow that carries a registration, and of connections we opened. */
  idleTimeoutMs: number;
  /** Idle limit of an inbound connection that carries no registration. */
  unregisteredIdleTimeoutMs: number;
}

export type GuardExpiry = 'first_message' | 'incomplete_message' | 'idle';

/**
 * The deadlines of one stream connection, on a single timer. Events only move timestamps; the
 * timer is re-armed when a deadline comes earlier, and otherwise re-checks when it fires, so a
 * busy connection costs no timer churn per chunk.
 */
export class ConnectionGuard {
  private readonly openedAt = performance.now();
  private firstSeen: boolean;
  private lastActivity = this.openedAt;
  private partialSince: number | undefined;
  private registered = false;
  private holds = 0;
  private timer: NodeJS.Timeout | undefined;
  private due = Infinity;
  private stopped = false;

  constructor(
    private readonly timings: ConnectionTimings,
    private readonly inbound: boolean,
    private readonly onExpire: (why: GuardExpiry) => void,
  ) {
    // on a connection we opened we speak first: no first-message deadline
    this.firstSeen = !inbound;
    this.arm();
  }

  /** A complete message (valid or not) arrived. */
  messageReceived(): void {
    this.firstSeen = true;
    this.lastActivity = performance.now();
  }

  /** After each chunk: whether bytes of an unfinished message are waiting. */
  pending(waiting: boolean): void {
    if (!waiting) {
      this.partialSince = undefined;
      return;
    }
    if (this.partialSince !== undefined) return;
    this.partialSince = performance.now();
    this.arm();
  }

  /** We wrote to the peer. */
  wrote(): void {
    this.lastActivity = performance.now();
  }

  /** RFC 5626 keepalives keep a registered flow alive; on any other connection they do not count. */
  keepalive(): void {
    if (this.registered) this.lastActivity = performance.now();
  }

  setRegistered(registered: boolean): void {
    if (this.registered === registered) return;
    this.registered = registered;
    if (registered) this.lastActivity = performance.now();
    else this.arm();
  }

  /** Something besides a registration (a dialog) needs the flow: it keeps the long idle limit until released. */
  hold(): () => void {
    this.holds++;
    this.lastActivity = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) this.arm();
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The earliest deadline; on a tie the more specific reason is reported. */
  private next(): { at: number; why: GuardExpiry } {
    const { firstMessageTimeoutMs, messageTimeoutMs, idleTimeoutMs, unregisteredIdleTimeoutMs } = this.timings;
    let best: { at: number; why: GuardExpiry } = { at: this.lastActivity + (this.registered || this.holds > 0 || !this.inbound ? idleTimeoutMs : unregisteredIdleTimeoutMs), why: 'idle' };
    if (this.partialSince !== undefined && this.partialSince + messageTimeoutMs <= best.at) best = { at: this.partialSince + messageTimeoutMs, why: 'incomplete_message' };
    if (!this.firstSeen && this.openedAt + firstMessageTimeoutMs <= best.at) best = { at: this.openedAt + firstMessageTimeoutMs, why: 'first_message' };
    return best;
  }

  private arm(): void {
    if (this.stopped) return;
    const { at } = this.next();
    if (this.timer !== undefined && this.due <= at) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.due = Infinity;
    if (this.stopped) return;
    const { at, why } = this.next();
    if (performance.now() < at) {
      this.arm();
      return;
    }
    this.stop();
    this.onExpire(why);
  }
}
