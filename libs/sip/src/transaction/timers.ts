/** RFC 3261 timer base (ms). D is separate because its UDP minimum (32 s) is not a multiple of T1. */
export interface SipTimers {
  T1: number;
  T2: number;
  T4: number;
  /** Timer D for unreliable transports; RFC 3261 §17.1.1.2 says at least 32 s. */
  D: number;
  /** Delay before an INVITE server transaction sends 100 Trying on its own (§17.2.1). */
  trying: number;
}

export const DEFAULT_SIP_TIMERS: SipTimers = { T1: 500, T2: 4000, T4: 5000, D: 32000, trying: 200 };

export function resolveTimers(partial: Partial<SipTimers> = {}): SipTimers {
  const timers = { ...DEFAULT_SIP_TIMERS, ...partial };
  // a shrunk T1 without an explicit D keeps tests short and still leaves D ≥ 64*T1
  if (partial.T1 !== undefined && partial.D === undefined) timers.D = Math.min(DEFAULT_SIP_TIMERS.D, 64 * timers.T1);
  return timers;
}

/** Durations derived from the base, by transport reliability (RFC 3261 Table 4, RFC 6026 L/M). */
export interface DerivedTimers {
  retransmit: boolean;
  A: number;
  B: number;
  D: number;
  E: number;
  F: number;
  G: number;
  H: number;
  I: number;
  J: number;
  K: number;
  L: number;
  M: number;
}

export function deriveTimers(t: SipTimers, reliable: boolean): DerivedTimers {
  const long = 64 * t.T1;
  return {
    retransmit: !reliable,
    A: t.T1,
    B: long,
    D: reliable ? 0 : t.D,
    E: t.T1,
    F: long,
    G: t.T1,
    H: long,
    I: reliable ? 0 : t.T4,
    J: reliable ? 0 : long,
    K: reliable ? 0 : t.T4,
    L: long,
    M: long,
  };
}

/** One-shot timer that never keeps the process alive; returns a cancel function. */
export function startTimer(ms: number, fire: () => void): () => void {
  const handle = setTimeout(fire, ms);
  handle.unref();
  return () => clearTimeout(handle);
}

/** Named timers of one transaction, all cleared together when it terminates. */
export class TimerSet<Name extends string> {
  private readonly active = new Map<Name, () => void>();

  start(name: Name, ms: number, fire: () => void): void {
    this.stop(name);
    this.active.set(
      name,
      startTimer(ms, () => {
        this.active.delete(name);
        fire();
      }),
    );
  }

  stop(name: Name): void {
    const cancel = this.active.get(name);
    if (cancel !== undefined) {
      cancel();
      this.active.delete(name);
    }
  }

  has(name: Name): boolean {
    return this.active.has(name);
  }

  clear(): void {
    for (const cancel of this.active.values()) cancel();
    this.active.clear();
  }
}
