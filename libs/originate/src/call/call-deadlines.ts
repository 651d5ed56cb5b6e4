/** What ends when its deadline passes. */
export interface Expiring {
  expire(): void;
}

/** setTimeout's longest delay; a later deadline is re-armed for when it fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The duration limits of a node's calls under one timer, in deadline order: a held call would otherwise keep a
 * Timeout, its closure and their numbers for its whole life. Most deadlines arrive in order (the node's maximum).
 */
export class CallDeadlines {
  private readonly at: number[] = [];
  private readonly whose: Expiring[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.whose.length;
  }

  /** Sets, or moves from `previous`, the deadline (epoch ms) of `who`. */
  set(who: Expiring, deadline: number, previous?: number): void {
    if (previous !== undefined) this.remove(who, previous);
    let i = this.at.length;
    while (i > 0 && this.at[i - 1] > deadline) i--;
    this.at.splice(i, 0, deadline);
    this.whose.splice(i, 0, who);
    this.arm();
  }

  /** Forgets `who`, whose deadline is `deadline`: found by binary search, not a scan of every call. */
  remove(who: Expiring, deadline: number): void {
    const i = this.indexOf(who, deadline);
    if (i < 0) return;
    this.at.splice(i, 1);
    this.whose.splice(i, 1);
    // nothing left to wait for: no timer may keep the process alive
    if (this.whose.length === 0) this.disarm();
  }

  private indexOf(who: Expiring, deadline: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at[mid] < deadline) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.at.length && this.at[i] === deadline; i++) if (this.whose[i] === who) return i;
    return -1;
  }

  private arm(): void {
    const next = this.at[0];
    if (next === undefined) return this.disarm();
    if (this.timer !== undefined && this.timerAt <= next) return;
    this.disarm();
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, next - this.now()));
    this.timerAt = this.now() + delay;
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private fire(): void {
    // the timer is the authority: what it was armed for is due even if the clock reads a hair earlier
    const now = Math.max(this.now(), this.timerAt);
    this.timer = undefined;
    this.timerAt = Infinity;
    let due = 0;
    while (due < this.at.length && this.at[due] <= now) due++;
    this.at.splice(0, due);
    const expired = this.whose.splice(0, due);
    this.arm();
    for (const who of expired) who.expire();
  }
}
